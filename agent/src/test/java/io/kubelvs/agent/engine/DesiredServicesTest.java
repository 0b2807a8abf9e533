package io.kubelvs.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.DesiredDestinations;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedVirtualServers;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.DesiredService;
import io.kubelvs.agent.ipvs.Destination;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed scenario's virtual server joined with the checker's decisions. */
class DesiredServicesTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  private static VirtualServerConfig seed;

  @BeforeAll
  static void readSeed() throws Exception {
    seed = KeepalivedVirtualServers.read(KeepalivedConf.parse(SAMPLE)).get(0);
  }

  @Test
  void bothWebServersUpAreTwoDrDestinationsWithTheirWeights() throws Exception {
    Map<InetSocketAddress, Integer> up = new LinkedHashMap<>();
    up.put(endpoint("172.16.53.101"), 1);
    up.put(endpoint("172.16.53.102"), 1);

    List<DesiredService> desired =
        desired(new DesiredDestinations(id(), up, true, Optional.empty()));

    assertThat(desired)
        .containsExactly(
            new DesiredService(
                seed.service(),
                List.of(
                    Destination.of(ip("172.16.53.101"), 80, Forwarding.DR, 1),
                    Destination.of(ip("172.16.53.102"), 80, Forwarding.DR, 1))));
  }

  @Test
  void theSorryServerTakesTheVirtualServersForwardingToo() throws Exception {
    InetSocketAddress sorry = new InetSocketAddress(ip("127.0.0.1"), 80);

    List<DesiredService> desired =
        desired(new DesiredDestinations(id(), Map.of(sorry, 1), false, Optional.of(sorry)));

    assertThat(desired.get(0).destinations())
        .containsExactly(Destination.of(ip("127.0.0.1"), 80, Forwarding.DR, 1));
  }

  @Test
  void anInhibitedServerKeepsItsDestinationAtWeightZero() throws Exception {
    Map<InetSocketAddress, Integer> decided = new LinkedHashMap<>();
    decided.put(endpoint("172.16.53.101"), 0);
    decided.put(endpoint("172.16.53.102"), 1);

    List<DesiredService> desired =
        desired(new DesiredDestinations(id(), decided, true, Optional.empty()));

    assertThat(desired.get(0).destinations()).extracting(Destination::weight).containsExactly(0, 1);
  }

  @Test
  void aVirtualServerTheCheckerHasNotDecidedYetHasItsServiceAndNoDestinations() {
    assertThat(DesiredServices.of(List.of(seed), Map.of()))
        .containsExactly(new DesiredService(seed.service(), List.of()));
  }

  @Test
  void everyMemberOfAGroupGetsTheDestinationsItsOneSetOfChecksDecided() throws Exception {
    IpvsService second =
        IpvsService.of(new ServiceKey.Address(IpvsProtocol.TCP, ip("172.16.53.51"), 80), "rr");
    VirtualServerConfig group =
        new VirtualServerConfig(seed.service(), seed.forwarding(), seed.checks(), List.of(second));
    Map<InetSocketAddress, Integer> up = Map.of(endpoint("172.16.53.101"), 1);

    List<DesiredService> desired =
        DesiredServices.of(
            List.of(group),
            Map.of(id(), new DesiredDestinations(id(), up, true, Optional.empty())));

    List<Destination> web = List.of(Destination.of(ip("172.16.53.101"), 80, Forwarding.DR, 1));
    assertThat(desired)
        .containsExactly(new DesiredService(seed.service(), web), new DesiredService(second, web));
  }

  private static List<DesiredService> desired(DesiredDestinations decided) {
    return DesiredServices.of(List.of(seed), Map.of(id(), decided));
  }

  private static String id() {
    return seed.checks().id();
  }

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  private static InetSocketAddress endpoint(String text) throws Exception {
    return new InetSocketAddress(ip(text), 80);
  }
}
