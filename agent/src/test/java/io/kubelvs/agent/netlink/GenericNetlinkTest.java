package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Family resolution through this machine's nlctrl. */
class GenericNetlinkTest {
  GenericNetlink genl;

  @BeforeEach
  void open() {
    genl = GenericNetlink.open();
  }

  @AfterEach
  void close() {
    genl.close();
  }

  @Test
  void controllerResolvesItselfAtItsFixedId() {
    GenlFamily nlctrl = genl.resolveFamily("nlctrl");

    assertThat(nlctrl.id()).isEqualTo(0x10);
    assertThat(nlctrl.name()).isEqualTo("nlctrl");
    assertThat(nlctrl.version()).isEqualTo(Genetlink.CTRL_VERSION);
    assertThat(nlctrl.headerSize()).isZero();
    assertThat(nlctrl.multicastGroups())
        .singleElement()
        .satisfies(group -> assertThat(group.name()).isEqualTo("notify"));
  }

  @Test
  void missingFamilyIsENOENTSayingItIsNotAvailable() {
    assertThatThrownBy(() -> genl.resolveFamily("KUBELVS_NONE"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.ENOENT)).isTrue())
        .hasMessageStartingWith(
            "CTRL_CMD_GETFAMILY \"KUBELVS_NONE\": ENOENT (No such file or directory)")
        .hasMessageEndingWith(
            "generic netlink family \"KUBELVS_NONE\" is not available in this kernel");
  }

  @Test
  void familiesResolveRepeatedlyOnOneSocket() {
    for (int i = 0; i < 10; i++) {
      assertThat(genl.resolveFamily("nlctrl").id()).isEqualTo(Genetlink.GENL_ID_CTRL);
    }
  }

  @Test
  void onlyGenericSocketsCarryGenericNetlink() {
    try (NetlinkSocket route = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertThatThrownBy(() -> new GenericNetlink(route))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
