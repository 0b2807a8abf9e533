package io.kubelvs.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab itself: made and removed with `ip`, code run inside, the machine's namespace untouched.
 */
class NetnsLabTest {
  static final Path THREAD_NETNS = Path.of("/proc/thread-self/ns/net");

  @BeforeEach
  void root() {
    Privileges.requireRoot("create network namespaces");
  }

  @AfterAll
  static void noLabNamespaceIsLeft() {
    assertThat(NetnsLab.leftoverNamespaces()).isEmpty();
  }

  @Test
  void closeDeletesEveryNamespaceOfTheLab() {
    NetnsLab lab = NetnsLab.create(2);
    assertThat(lab.namespaces())
        .hasSize(3)
        .allMatch(name -> name.startsWith(NetnsLab.RUN_PREFIX + "-"));
    assertThat(NetnsLab.existingNamespaces()).containsAll(lab.namespaces());

    lab.close();

    assertThat(NetnsLab.existingNamespaces()).doesNotContainAnyElementsOf(lab.namespaces());
  }

  @Test
  void codeInAHostRunsInItsNamespaceAndTheCallerStaysInItsOwn() throws Exception {
    try (NetnsLab lab = NetnsLab.create(1)) {
      Path outside = Files.readSymbolicLink(THREAD_NETNS);

      Path inside = lab.host("a").call(() -> Files.readSymbolicLink(THREAD_NETNS));

      assertThat(inside).isNotEqualTo(outside);
      assertThat(Files.readSymbolicLink(THREAD_NETNS)).isEqualTo(outside);
      assertThat(lab.host("a").ip("-4", "-o", "address", "show", "dev", "v0"))
          .contains("inet 198.18.0.11/24");
    }
  }

  @Test
  void failureInsideAHostReachesTheTest() {
    try (NetnsLab lab = NetnsLab.create(1)) {
      assertThatThrownBy(
              () ->
                  lab.host("a")
                      .call(
                          () -> {
                            throw new AssertionError("inside");
                          }))
          .isInstanceOf(AssertionError.class)
          .hasMessage("inside");
    }
  }

  @Test
  void sysctlsAreSetInsideTheHostsNamespaceOnly() throws Exception {
    Path acceptDad = Path.of("/proc/sys/net/ipv6/conf/default/accept_dad");
    String before = Files.readString(acceptDad);

    try (NetnsLab lab = NetnsLab.create(1)) {
      String namespace = lab.host("a").namespace();
      assertThat(NetnsLab.run("ip", "netns", "exec", namespace, "cat", acceptDad.toString()))
          .isEqualTo("0\n");
      assertThat(
              NetnsLab.run(
                  "ip", "netns", "exec", namespace, "cat", "/proc/sys/net/ipv4/conf/v0/rp_filter"))
          .isEqualTo("0\n");
      assertThat(Files.readString(acceptDad)).isEqualTo(before);
    }
  }

  @Test
  void theMachinesOwnNamespaceIsUntouched() {
    String links = NetnsLab.run("ip", "-o", "link", "show");
    String addresses = NetnsLab.run("ip", "-o", "address", "show");

    try (NetnsLab lab = NetnsLab.create(2)) {
      assertThat(NetnsLab.run("ip", "-o", "link", "show")).isEqualTo(links);
      assertThat(NetnsLab.run("ip", "-o", "address", "show")).isEqualTo(addresses);
    }
  }
}
