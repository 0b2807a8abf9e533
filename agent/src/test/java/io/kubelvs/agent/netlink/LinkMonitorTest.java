package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Link changes made from outside host a's namespace, seen by a monitor inside it. */
@ExtendWith(NoLeftoverNamespaces.class)
class LinkMonitorTest {
  static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  NetnsLab lab;
  NetnsLab.Host a;
  LinkMonitor monitor;

  @BeforeEach
  void buildLab() throws Exception {
    Privileges.requireRoot("build a network-namespace lab and change links in it");
    lab = NetnsLab.create(1);
    a = lab.host("a");
    monitor = a.call(LinkMonitor::open);
  }

  @AfterEach
  void tearDown() {
    if (monitor != null) {
      monitor.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void settingTheInterfaceDownIsADownEventWithinASecond() {
    a.ip("link", "set", "dev", "v0", "down");

    assertThat(awaitEvent(LinkEvent.Type.DOWN).link().isUp()).isFalse();
  }

  @Test
  void settingItUpAgainIsAnUpEvent() {
    a.ip("link", "set", "dev", "v0", "down");
    awaitEvent(LinkEvent.Type.DOWN);

    a.ip("link", "set", "dev", "v0", "up");

    assertThat(awaitEvent(LinkEvent.Type.UP).link().isUsable()).isTrue();
  }

  @Test
  void losingTheCarrierIsADownEventAndRegainingItAnUpEvent() {
    a.setCarrier(false);
    LinkEvent down = awaitEvent(LinkEvent.Type.DOWN);
    assertThat(down.link().isUp()).isTrue();
    assertThat(down.link().isRunning()).isFalse();

    a.setCarrier(true);
    awaitEvent(LinkEvent.Type.UP);
  }

  @Test
  void deletingTheInterfaceIsARemovedEvent() {
    a.ip("link", "delete", "dev", "v0");

    assertThat(awaitEvent(LinkEvent.Type.REMOVED).name()).isEqualTo("v0");
  }

  @Test
  void nothingHappeningIsNoEvent() {
    assertThat(monitor.await(Duration.ofMillis(100))).isEmpty();
  }

  @Test
  void lostAnnouncementsAreMadeUpForByReadingEveryLinkAgain() throws Exception {
    monitor.close();
    // The smallest receive buffer the kernel allows holds about one announcement.
    monitor = a.call(() -> LinkMonitor.open(1));
    for (int i = 0; i < 10; i++) {
      a.ip("link", "set", "dev", "v0", i % 2 == 0 ? "down" : "up");
    }

    List<LinkEvent> events = monitor.poll();

    assertThat(monitor.resyncs()).isPositive();
    LinkEvent last =
        events.stream().filter(e -> e.name().equals("v0")).reduce((x, y) -> y).orElseThrow();
    assertThat(last.type()).isEqualTo(LinkEvent.Type.UP);
  }

  /** The first event of {@code type} for v0 within a second; earlier ones are skipped. */
  LinkEvent awaitEvent(LinkEvent.Type type) {
    long deadline = System.nanoTime() + WITHIN_A_SECOND.toNanos();
    List<LinkEvent> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      for (LinkEvent event : monitor.await(left)) {
        seen.add(event);
        if (event.type() == type && event.name().equals("v0")) {
          return event;
        }
      }
    }
    throw new AssertionError("no " + type + " event for v0 within a second; saw " + seen);
  }
}
