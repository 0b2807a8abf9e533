package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.netlink.LinkMonitor;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One event loop waiting on several raw sockets and a link monitor in host b of a lab. */
@ExtendWith(NoLeftoverNamespaces.class)
class PollerTest {
  static final InetAddress GROUP = RawIpSocketTest.address("224.0.100.99");
  static final InetAddress OTHER_GROUP = RawIpSocketTest.address("224.0.0.18");
  static final Duration WAIT = Duration.ofSeconds(2);

  NetnsLab lab;
  Poller poller;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void buildLab() {
    Privileges.requireRoot("build a network-namespace lab and open raw sockets in it");
    lab = NetnsLab.create(2);
    poller = Poller.open();
    closeables.add(poller);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void returnsTheSocketThatHasADatagramQueued() throws Exception {
    RawIpSocket quiet = open("b");
    RawIpSocket busy = open("b");
    quiet.joinGroup(OTHER_GROUP);
    busy.joinGroup(GROUP);

    open("a").send(RawIpSocketTest.ADVERT, GROUP);

    assertThat(poller.awaitReadable(List.of(quiet, busy), WAIT)).containsExactly(busy);
  }

  @Test
  void returnsNothingWhenTheTimeoutPasses() throws Exception {
    RawIpSocket quiet = open("b");

    long start = System.nanoTime();
    assertThat(poller.awaitReadable(List.of(quiet), Duration.ofMillis(100))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(95));
  }

  @Test
  void wakeUpFromAnotherThreadEndsTheWaitEarly() throws Exception {
    RawIpSocket quiet = open("b");
    ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
    try {
      other.schedule(poller::wakeUp, 100, TimeUnit.MILLISECONDS);

      long start = System.nanoTime();
      assertThat(poller.awaitReadable(List.of(quiet), Duration.ofSeconds(30))).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    } finally {
      other.shutdownNow();
    }
    // The wake-up is consumed: the next wait runs to its timeout.
    assertThat(poller.awaitReadable(List.of(quiet), Duration.ofMillis(50))).isEmpty();
  }

  @Test
  void linkMonitorIsWaitedOnBesideTheSockets() throws Exception {
    RawIpSocket quiet = open("b");
    LinkMonitor monitor = lab.host("b").call(LinkMonitor::open);
    closeables.add(monitor);
    Pollable links = monitor::fileDescriptor;

    lab.host("b").ip("link", "set", "dev", "v0", "down");

    assertThat(poller.awaitReadable(List.of(quiet, links), WAIT)).containsExactly(links);
    assertThat(monitor.poll()).isNotEmpty();
  }

  @Test
  void aDescriptorThatIsNotOpenIsReportedNamingIt() {
    Pollable closed =
        new Pollable() {
          @Override
          public int fileDescriptor() {
            return 99_999;
          }

          @Override
          public String toString() {
            return "a closed socket";
          }
        };

    assertThatThrownBy(() -> poller.awaitReadable(List.of(closed), WAIT))
        .isInstanceOf(SyscallException.class)
        .hasMessageStartingWith("poll(descriptor 99999 of a closed socket): EBADF");
  }

  RawIpSocket open(String host) throws Exception {
    NetnsLab.Host inside = lab.host(host);
    RawIpSocket socket =
        inside.call(
            () ->
                RawIpSocket.open(
                    RawIpSocketOptions.vrrp(
                        StandardProtocolFamily.INET,
                        inside.interfaceName(),
                        inside.interfaceIndex())));
    closeables.add(socket);
    return socket;
  }
}
