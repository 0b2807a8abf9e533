package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {
  @Test
  void printsAsIpLinkDoesAndParsesBack() {
    MacAddress mac = MacAddress.of(new byte[] {2, 0, (byte) 0xc6, 0x12, 0, 0x0b});

    assertThat(mac).hasToString("02:00:c6:12:00:0b");
    assertThat(MacAddress.parse("02:00:c6:12:00:0b")).isEqualTo(mac);
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] bytes = {2, 0, 0, 0, 0, 1};
    MacAddress mac = MacAddress.of(bytes);
    bytes[5] = 9;
    mac.bytes()[5] = 9;

    assertThat(mac).hasToString("02:00:00:00:00:01");
  }

  @Test
  void onlySixBytesAreAMacAddress() {
    assertThatThrownBy(() -> MacAddress.of(new byte[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 bytes, not 4");
    assertThatThrownBy(() -> MacAddress.parse("02:00:c6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("02:00:c6");
  }
}
