package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.Hex;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Raw ICMP sockets between two hosts of a network-namespace lab. */
@ExtendWith(NoLeftoverNamespaces.class)
class IcmpSocketTest {
  /** An echo request iputils' ping sent (id 0x34ad, seq 1), with its checksum. */
  static final byte[] PING_REQUEST = Hex.bytes("0800 57f0 34ad 0001 6b61 0000 0000 0000");

  /** The Linux kernel's reply to it. */
  static final byte[] KERNEL_REPLY = Hex.bytes("0000 5ff0 34ad 0001 6b61 0000 0000 0000");

  static final Duration WAIT = Duration.ofSeconds(5);
  static final Duration SILENCE = Duration.ofMillis(300);

  NetnsLab lab;
  IcmpSocket a;
  IcmpSocket b;

  @BeforeEach
  void buildLab() throws Exception {
    Privileges.requireRoot("build a network-namespace lab and open raw ICMP sockets in it");
    lab = NetnsLab.create(2);
    a = lab.host("a").call(() -> IcmpSocket.open(StandardProtocolFamily.INET));
    b = lab.host("b").call(() -> IcmpSocket.open(StandardProtocolFamily.INET));
  }

  @AfterEach
  void tearDown() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void echoRequestIsAnsweredByTheKernelWithoutTheIpHeaderInTheMessage() throws Exception {
    a.send(PING_REQUEST, lab.host("b").address());

    IcmpSocket.Received reply = receive(a, WAIT).orElseThrow();
    assertThat(reply.source()).isEqualTo(lab.host("b").address());
    assertThat(reply.message()).isEqualTo(KERNEL_REPLY);
  }

  /** The ICMP filter lets only echo replies through: b's socket never sees a's request. */
  @Test
  void echoRequestsDoNotReachTheSocket() throws Exception {
    a.send(PING_REQUEST, lab.host("b").address());

    assertThat(receive(a, WAIT)).isPresent();
    assertThat(receive(b, SILENCE)).isEmpty();
  }

  @Test
  void nothingQueuedIsEmpty() {
    assertThat(a.receive()).isEmpty();
  }

  @Test
  void destinationOfTheOtherFamilyIsRefused() {
    assertThatThrownBy(() -> a.send(PING_REQUEST, InetAddress.getByName("::1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be reached through an ICMP socket");
  }

  @Test
  void closedSocketRefusesUse() {
    a.close();

    assertThatThrownBy(() -> a.receive()).isInstanceOf(IllegalStateException.class);
  }

  static Optional<IcmpSocket.Received> receive(IcmpSocket socket, Duration timeout) {
    try (Poller poller = Poller.open()) {
      if (poller.awaitReadable(List.of(socket), timeout).isEmpty()) {
        return Optional.empty();
      }
      return socket.receive();
    }
  }
}
