package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubelvs.agent.testing.Hex;
import java.net.InetAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NetlinkAttributeTest {

  @Test
  void integersAndStringsRoundTrip() {
    byte[] payload =
        new AttributeWriter()
            .u8(1, 0xfe)
            .u16(2, 0xbeef)
            .u32(3, 0xdeadbeef)
            .u64(4, 0x0123456789abcdefL)
            .string(5, "ip_vs")
            .bytes(6, new byte[] {1, 2, 3})
            .flag(7)
            .toByteArray();

    NetlinkAttributes attributes = NetlinkAttributes.decode(payload, 0, payload.length);

    assertThat(attributes.require(1, "u8").u8()).isEqualTo(0xfe);
    assertThat(attributes.require(2, "u16").u16()).isEqualTo(0xbeef);
    assertThat(attributes.require(3, "u32").u32()).isEqualTo(0xdeadbeef);
    assertThat(attributes.require(4, "u64").u64()).isEqualTo(0x0123456789abcdefL);
    assertThat(attributes.require(5, "string").string()).isEqualTo("ip_vs");
    assertThat(attributes.require(6, "bytes").value()).containsExactly(1, 2, 3);
    assertThat(attributes.require(7, "flag").length()).isZero();
    assertThat(attributes.all())
        .extracting(NetlinkAttribute::type)
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void everyAttributeIsPaddedToFourBytes() {
    byte[] payload = new AttributeWriter().u8(1, 7).string(2, "lo").u16(3, 1).toByteArray();

    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are x86-64's");
    // u8: len 5 + 3 padding; "lo\0": len 7 + 1 padding; u16: len 6 + 2 padding.
    assertThat(Hex.of(payload))
        .isEqualTo(
            Hex.of(
                Hex.bytes("0500 0100 07 000000" + "0700 0200 6c6f00 00" + "0600 0300 0100 0000")));
  }

  @Test
  void networkByteOrderHelpersWriteBigEndian() {
    byte[] payload =
        new AttributeWriter().u16Network(1, 80).u32Network(2, 0xffffff00).toByteArray();

    assertThat(Hex.of(payload).substring(8, 12)).isEqualTo("0050");
    NetlinkAttributes attributes = NetlinkAttributes.decode(payload, 0, payload.length);
    assertThat(attributes.require(1, "port").u16Network()).isEqualTo(80);
    assertThat(attributes.require(2, "netmask").u32Network()).isEqualTo(0xffffff00);
  }

  @Test
  void addressesKeepNetworkOrderAndReadFromSixteenByteUnions() throws Exception {
    InetAddress vip = InetAddress.getByName("198.18.0.50");
    InetAddress v6 = InetAddress.getByName("2001:db8::50");
    byte[] union = new byte[16];
    System.arraycopy(vip.getAddress(), 0, union, 0, 4);
    byte[] payload =
        new AttributeWriter().address(1, vip).address(2, v6).bytes(3, union).toByteArray();

    NetlinkAttributes attributes = NetlinkAttributes.decode(payload, 0, payload.length);

    assertThat(Hex.of(attributes.require(1, "v4").value())).isEqualTo("c6120032");
    assertThat(attributes.require(1, "v4").address()).isEqualTo(vip);
    assertThat(attributes.require(2, "v6").address()).isEqualTo(v6);
    assertThat(attributes.require(3, "union").address(LibC.AF_INET)).isEqualTo(vip);
  }

  @Test
  void nestedAttributesCarryTheNestedFlagAndTheirOwnLength() {
    byte[] payload =
        new AttributeWriter()
            .u32(1, 5)
            .nested(
                2,
                inner -> inner.string(1, "rr").nested(3, deeper -> deeper.u16(1, 80).u16(2, 8080)))
            .u8(4, 1)
            .toByteArray();

    NetlinkAttributes attributes = NetlinkAttributes.decode(payload, 0, payload.length);
    NetlinkAttribute service = attributes.require(2, "service");

    assertThat(service.isNested()).isTrue();
    assertThat(service.flags()).isEqualTo(Netlink.NLA_F_NESTED);
    // 4 (header) + 8 ("rr\0" padded) + 4 + 8 + 8 (two u16 attributes, padded)
    assertThat(service.length()).isEqualTo(28);
    assertThat(service.nested().require(1, "scheduler").string()).isEqualTo("rr");
    NetlinkAttributes ports = service.nested().require(3, "ports").nested();
    assertThat(ports.require(1, "a").u16()).isEqualTo(80);
    assertThat(ports.require(2, "b").u16()).isEqualTo(8080);
    assertThat(attributes.require(4, "after").u8()).isEqualTo(1);
  }

  @Test
  void familyHeaderComesFirstAndIsPadded() {
    byte[] payload = new AttributeWriter().header(new byte[] {1, 2, 3}).u8(1, 9).toByteArray();

    assertThat(payload).hasSize(4 + 8).startsWith(1, 2, 3, 0);
    assertThatThrownBy(() -> new AttributeWriter().u8(1, 1).header(new byte[4]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void truncatedAttributeHeaderNamesItsOffset() {
    byte[] payload =
        NetlinkMessageTest.concat(new AttributeWriter().u32(1, 1).toByteArray(), new byte[2]);

    assertThatThrownBy(() -> NetlinkAttributes.decode(payload, 0, payload.length))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data at offset 8: only 2 bytes left, a nlattr needs 4 (truncated"
                + " attribute)");
  }

  @Test
  void attributeLengthBelowItsHeaderIsCorrupt() {
    byte[] payload = {2, 0, 1, 0, 0, 0, 0, 0};

    assertThatThrownBy(() -> NetlinkAttributes.decode(payload, 0, payload.length))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data at offset 0: nla_len 2 of attribute type 1 is smaller than its"
                + " header");
  }

  @Test
  void nestedAttributeRunningPastItsParentIsCorrupt() {
    byte[] payload = new AttributeWriter().nested(1, inner -> inner.u32(2, 7)).toByteArray();
    payload[4] = 12; // inner nla_len 12 inside an 8-byte parent value

    NetlinkAttribute parent = NetlinkAttributes.decode(payload, 0, payload.length).all().get(0);

    assertThatThrownBy(parent::nested)
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("offset 0: nla_len 12 of attribute type 2 runs past the end");
  }

  @Test
  void readingAValueAsTheWrongSizeSaysSo() {
    byte[] payload = new AttributeWriter().u16(3, 1).toByteArray();
    NetlinkAttribute attribute = NetlinkAttributes.decode(payload, 0, payload.length).all().get(0);

    assertThatThrownBy(attribute::u32)
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data: attribute type 3 holds 2 bytes, read as a u32 (4 bytes)");
  }

  @Test
  void missingRequiredAttributeIsNamed() {
    NetlinkAttributes none = NetlinkAttributes.decode(new byte[0], 0, 0);

    assertThatThrownBy(() -> none.require(2, "CTRL_ATTR_FAMILY_NAME"))
        .hasMessage("malformed netlink data: required attribute CTRL_ATTR_FAMILY_NAME is missing");
  }

  @Test
  void oversizedValueIsRefusedBeforeItWrapsNlaLen() {
    assertThatThrownBy(() -> new AttributeWriter().bytes(1, new byte[70000]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds nla_len's 65535");
  }
}
