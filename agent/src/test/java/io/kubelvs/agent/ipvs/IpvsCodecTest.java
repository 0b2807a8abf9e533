package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.GenlHeader;
import io.kubelvs.agent.netlink.NetlinkAttribute;
import io.kubelvs.agent.netlink.NetlinkMessage;
import io.kubelvs.agent.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The IPVS codec against golden bytes: ipvsadm's own requests and the kernel's replies, captured in
 * the hack/vm VM (see the comments in the resources).
 */
class IpvsCodecTest {
  private static final int FAMILY_ID = 0x20; // what the kernel assigned in the captures

  private static final ServiceKey WEB = ServiceKey.tcp(ip("198.18.0.50"), 80);

  private static NetlinkMessage golden(String name) {
    List<NetlinkMessage> messages = NetlinkMessage.decodeAll(Hex.resource("ipvs/" + name));
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static NetlinkAttribute topLevel(NetlinkMessage message, int type) {
    return message.attributes(GenlHeader.LENGTH).require(type, "attribute " + type);
  }

  @Test
  void newServiceIsByteForByteWhatIpvsadmSends() {
    NetlinkMessage ipvsadm = golden("ipvsadm-new-service.request.hex");

    NetlinkMessage ours =
        IpvsCodec.encode(FAMILY_ID, new IpvsOperation.AddService(IpvsService.of(WEB, "rr")));

    assertThat(ours.type()).isEqualTo(ipvsadm.type());
    assertThat(Hex.of(ours.payload())).isEqualTo(Hex.of(ipvsadm.payload()));
  }

  @Test
  void newDestinationCarriesTheSameDestinationAttributesAsIpvsadm() {
    NetlinkMessage ipvsadm = golden("ipvsadm-new-dest.request.hex");
    Destination dest = Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 1);

    NetlinkMessage ours = IpvsCodec.encode(FAMILY_ID, new IpvsOperation.AddDestination(WEB, dest));

    assertThat(GenlHeader.decode(ours)).isEqualTo(GenlHeader.decode(ipvsadm));
    // ipvsadm also sends the service's settings, which the kernel ignores for NEW_DEST; the
    // destination itself must be identical.
    assertThat(Hex.of(topLevel(ours, IpvsGenl.IPVS_CMD_ATTR_DEST).value()))
        .isEqualTo(Hex.of(topLevel(ipvsadm, IpvsGenl.IPVS_CMD_ATTR_DEST).value()));
    // ...and the service is addressed by the same key attributes (AF, protocol, address, port).
    assertThat(topLevel(ours, IpvsGenl.IPVS_CMD_ATTR_SERVICE).nested().all())
        .containsExactlyElementsOf(
            topLevel(ipvsadm, IpvsGenl.IPVS_CMD_ATTR_SERVICE).nested().all().subList(0, 4));
  }

  @Test
  void decodesTheKernelsServiceDump() {
    ObservedService observed = IpvsCodec.decodeService(golden("kernel-get-service.reply.hex"));

    assertThat(observed.service()).isEqualTo(IpvsService.of(WEB, "rr"));
    assertThat(observed.stats()).isEqualTo(IpvsStats.ZERO);
  }

  @Test
  void decodesTheKernelsDestinationDump() {
    ObservedDestination observed =
        IpvsCodec.decodeDestination(golden("kernel-get-dest.reply.hex"), AddressFamily.INET);

    assertThat(observed.destination())
        .isEqualTo(Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 1));
    assertThat(observed.activeConnections()).isZero();
  }

  @Test
  void decodesTheKernelsInfo() {
    IpvsInfo info = IpvsCodec.decodeInfo(golden("kernel-get-info.reply.hex"));

    assertThat(info.versionString()).isEqualTo("1.2.1");
    assertThat(info.connectionTableSize()).isEqualTo(4096);
  }

  @Test
  void persistentIpv6ServiceRoundTripsThroughTheCodec() {
    ServiceKey key = ServiceKey.tcp(ip("2001:db8::50"), 443);
    IpvsService service =
        IpvsService.of(key, "sh").withFlags(ServiceFlags.SH_PORT).withPersistence(360, 64);
    NetlinkMessage request = IpvsCodec.encode(FAMILY_ID, new IpvsOperation.AddService(service));

    // The kernel answers a dump with the same attributes inside IPVS_CMD_ATTR_SERVICE.
    assertThat(IpvsCodec.decodeService(request).service()).isEqualTo(service);
  }

  @Test
  void fwmarkServiceRoundTripsThroughTheCodec() {
    IpvsService service =
        IpvsService.of(new ServiceKey.Fwmark(AddressFamily.INET, 7), "wlc")
            .withPersistence(60, 0xFFFF_FF00);
    NetlinkMessage request = IpvsCodec.encode(FAMILY_ID, new IpvsOperation.AddService(service));

    assertThat(IpvsCodec.decodeService(request).service()).isEqualTo(service);
  }
}
