package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.check.DnsCheck.DnsQueryType;
import io.kubelvs.agent.testing.Hex;
import org.junit.jupiter.api.Test;

/** The DNS_CHECK query's bytes and the reading of a reply's header (RFC 1035 §4.1). */
class DnsCheckCodecTest {

  @Test
  void queryIsKeepalivedsOneQuestionWithRecursionDesired() {
    byte[] query =
        DnsCheckCodec.query(0x1234, DnsQueryType.AAAA, DnsCheckCodec.encodeName("example.com"));

    assertThat(query)
        .isEqualTo(
            Hex.bytes(
                "1234 0100 0001 0000 0000 0000"
                    + " 07 6578616d706c65 03 636f6d 00"
                    + " 001c 0001"));
  }

  @Test
  void trailingDotNamesTheSameName() {
    assertThat(DnsCheckCodec.encodeName("example.com."))
        .isEqualTo(DnsCheckCodec.encodeName("example.com"));
  }

  @Test
  void rootIsTheEmptyLabelAlone() {
    assertThat(DnsCheckCodec.encodeName(".")).containsExactly(0);
  }

  @Test
  void emptyLabelIsRefused() {
    assertThatThrownBy(() -> DnsCheckCodec.encodeName("a..example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a label of 0 bytes");
  }

  @Test
  void labelLongerThan63BytesIsRefused() {
    assertThatThrownBy(() -> DnsCheckCodec.encodeName("a".repeat(64) + ".example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a label of 64 bytes");
  }

  @Test
  void nameLongerThan255BytesIsRefused() {
    String name = String.join(".", java.util.Collections.nCopies(5, "a".repeat(60)));

    assertThatThrownBy(() -> DnsCheckCodec.encodeName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 255");
  }

  @Test
  void headerGivesIdResponseBitAndRcode() {
    DnsCheckCodec.Header header =
        DnsCheckCodec.header(Hex.bytes("beef 8183 0001 0000 0000 0000")).orElseThrow();

    assertThat(header.id()).isEqualTo(0xbeef);
    assertThat(header.isResponse()).isTrue();
    assertThat(header.rcode()).isEqualTo(3);
    assertThat(header.rcodeName()).isEqualTo("NXDOMAIN");
  }

  @Test
  void rcodeWithoutANameIsNumbered() {
    assertThat(
            DnsCheckCodec.header(Hex.bytes("0000 820c 0000 0000 0000 0000"))
                .orElseThrow()
                .rcodeName())
        .isEqualTo("RCODE 12");
  }

  @Test
  void datagramShorterThanAHeaderHasNone() {
    assertThat(DnsCheckCodec.header(new byte[11])).isEmpty();
  }
}
