package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteService;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPVS client against the real ip_vs module, with ipvsadm as the oracle. Runs inside the VM
 * (IpvsKernelTestsInVmTest), in a network namespace of its own.
 */
@Tag("ipvs-kernel")
class IpvsClientKernelTest {
  private static final ServiceKey WEB = ServiceKey.tcp(ip("198.18.0.50"), 80);

  private IpvsClient ipvs;

  @BeforeEach
  void openOnAnEmptyTable() {
    Ipvsadm.clear();
    ipvs = IpvsClient.open();
  }

  @AfterEach
  void close() {
    ipvs.close();
  }

  @Test
  void infoReportsTheVersionIpvsadmShows() {
    IpvsInfo info = ipvs.info();

    assertThat(Ipvsadm.run("-Ln").lines().findFirst().orElseThrow())
        .isEqualTo(
            "IP Virtual Server version %s (size=%d)"
                .formatted(info.versionString(), info.connectionTableSize()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf"
      })
  void everySchedulerIsWrittenAsIpvsadmReadsIt(String scheduler) {
    ipvs.apply(new AddService(IpvsService.of(WEB, scheduler)));

    assertThat(Ipvsadm.save()).containsExactly("-A -t 198.18.0.50:80 -s " + scheduler);
    assertThat(ipvs.services()).extracting(s -> s.service().scheduler()).containsExactly(scheduler);
  }

  @Test
  void aSchedulerTheKernelLacksIsRefusedWithTheCommandAndServiceNamed() {
    assertThatThrownBy(() -> ipvs.apply(new AddService(IpvsService.of(WEB, "twos"))))
        .isInstanceOf(IpvsException.class)
        .hasMessageStartingWith("IPVS_CMD_NEW_SERVICE 198.18.0.50:80/TCP: ENOENT");
    assertThat(Ipvsadm.save()).isEmpty();
  }

  @Test
  void forwardingMethodsAreWrittenAsIpvsadmReadsThem() {
    ServiceKey dns = new ServiceKey.Address(IpvsProtocol.UDP, ip("198.18.0.51"), 53);
    ipvs.apply(new AddService(IpvsService.of(WEB, "rr")));
    ipvs.apply(new AddService(IpvsService.of(dns, "rr").withFlags(ServiceFlags.ONE_PACKET)));
    ipvs.apply(
        List.of(
            new AddDestination(WEB, Destination.of(ip("198.18.1.1"), 8080, Forwarding.NAT, 2)),
            new AddDestination(WEB, Destination.of(ip("198.18.1.2"), 80, Forwarding.DR, 3)),
            new AddDestination(WEB, Destination.of(ip("198.18.1.3"), 80, Forwarding.TUN, 4)),
            new AddDestination(
                dns,
                new Destination(
                    ip("198.18.1.5"), 53, Forwarding.TUN, 1, 0, 0, TunnelType.GUE, 6080, 0))));

    assertThat(Ipvsadm.save())
        .containsExactlyInAnyOrder(
            "-A -t 198.18.0.50:80 -s rr",
            "-a -t 198.18.0.50:80 -r 198.18.1.1:8080 -m -w 2",
            "-a -t 198.18.0.50:80 -r 198.18.1.2:80 -g -w 3",
            "-a -t 198.18.0.50:80 -r 198.18.1.3:80 -i -w 4 --tun-type ipip",
            "-A -u 198.18.0.51:53 -s rr -o",
            "-a -u 198.18.0.51:53 -r 198.18.1.5:53 -i -w 1 --tun-type gue --tun-port 6080"
                + " --tun-nocsum");
  }

  @Test
  void sctpServicesAreWrittenAndReadAsIpvsadmDoes() {
    ServiceKey sctp = new ServiceKey.Address(IpvsProtocol.SCTP, ip("198.18.0.52"), 9999);
    Destination dest = Destination.of(ip("198.18.1.9"), 9999, Forwarding.NAT, 1);
    ipvs.apply(List.of(new AddService(IpvsService.of(sctp, "rr")), new AddDestination(sctp, dest)));

    assertThat(Ipvsadm.save())
        .containsExactly(
            "-A --sctp-service 198.18.0.52:9999 -s rr",
            "-a --sctp-service 198.18.0.52:9999 -r 198.18.1.9:9999 -m -w 1");
    assertThat(ipvs.services()).extracting(o -> o.service().key()).containsExactly(sctp);
    assertThat(ipvs.destinations(sctp))
        .extracting(ObservedDestination::destination)
        .containsExactly(dest);
  }

  @Test
  void persistenceFwmarkIpv6AndSchedulerFlagsAreWrittenAsIpvsadmReadsThem() {
    ServiceKey v6 = ServiceKey.tcp(ip("2001:db8::50"), 443);
    ipvs.apply(
        List.of(
            new AddService(
                IpvsService.of(new ServiceKey.Fwmark(AddressFamily.INET, 7), "wlc")
                    .withPersistence(360, 0xFFFF_FF00)),
            new AddService(IpvsService.of(v6, "sh").withFlags(ServiceFlags.SH_PORT)),
            new AddDestination(
                v6,
                new Destination(
                    ip("2001:db8::1"), 443, Forwarding.DR, 1, 100, 50, TunnelType.IPIP, 0, 0))));

    assertThat(Ipvsadm.save())
        .containsExactlyInAnyOrder(
            "-A -f 7 -s wlc -p 360 -M 255.255.255.0",
            "-A -t [2001:db8::50]:443 -s sh -b sh-port",
            "-a -t [2001:db8::50]:443 -r [2001:db8::1]:443 -g -w 1");
    assertThat(Ipvsadm.run("-Ln", "--thresholds"))
        .containsPattern("-> \\[2001:db8::1\\]:443\\s+100\\s+50\\s");
  }

  @Test
  void readsBackExactlyWhatIpvsadmRestored() {
    Ipvsadm.restore(
        String.join(
            "\n",
            "-A -t 198.18.0.50:80 -s wrr -p 120",
            "-a -t 198.18.0.50:80 -r 198.18.1.1:80 -g -w 5",
            "-a -t 198.18.0.50:80 -r 198.18.1.2:8080 -m -w 0",
            "-A -f 9 -6 -s mh -b mh-fallback",
            ""));

    List<IpvsService> services = ipvs.services().stream().map(ObservedService::service).toList();
    assertThat(services)
        .containsExactlyInAnyOrder(
            IpvsService.of(WEB, "wrr").withPersistence(120, 0xFFFF_FFFF),
            IpvsService.of(new ServiceKey.Fwmark(AddressFamily.INET6, 9), "mh")
                .withFlags(ServiceFlags.MH_FALLBACK));
    assertThat(ipvs.destinations(WEB))
        .extracting(ObservedDestination::destination)
        .containsExactlyInAnyOrder(
            Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 5),
            Destination.of(ip("198.18.1.2"), 8080, Forwarding.NAT, 0));
  }

  @Test
  void editsChangeServiceAndDestinationInPlace() {
    Destination one = Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 1);
    ipvs.apply(List.of(new AddService(IpvsService.of(WEB, "rr")), new AddDestination(WEB, one)));

    ipvs.apply(
        List.of(
            new EditService(IpvsService.of(WEB, "wlc")),
            new EditDestination(WEB, one.withWeight(0))));

    assertThat(Ipvsadm.save())
        .containsExactly(
            "-A -t 198.18.0.50:80 -s wlc", "-a -t 198.18.0.50:80 -r 198.18.1.1:80 -g -w 0");
  }

  @Test
  void deletesRemoveDestinationsAndServices() {
    Destination one = Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 1);
    Destination two = Destination.of(ip("198.18.1.2"), 80, Forwarding.DR, 1);
    ipvs.apply(
        List.of(
            new AddService(IpvsService.of(WEB, "rr")),
            new AddDestination(WEB, one),
            new AddDestination(WEB, two)));

    ipvs.apply(new DeleteDestination(WEB, one.key()));
    assertThat(Ipvsadm.save())
        .containsExactly(
            "-A -t 198.18.0.50:80 -s rr", "-a -t 198.18.0.50:80 -r 198.18.1.2:80 -g -w 1");

    ipvs.apply(new DeleteService(WEB));
    assertThat(Ipvsadm.save()).isEmpty();
  }

  @Test
  void aRefusalNamesTheCommandTheObjectAndTheErrno() {
    Destination one = Destination.of(ip("198.18.1.1"), 80, Forwarding.DR, 1);
    ipvs.apply(List.of(new AddService(IpvsService.of(WEB, "rr")), new AddDestination(WEB, one)));

    assertThatThrownBy(() -> ipvs.apply(new AddDestination(WEB, one)))
        .isInstanceOf(IpvsException.class)
        .hasMessageStartingWith(
            "IPVS_CMD_NEW_DEST 198.18.1.1:80 → 198.18.0.50:80/TCP: EEXIST (File exists)");
    assertThatThrownBy(() -> ipvs.apply(new DeleteService(ServiceKey.tcp(ip("198.18.0.99"), 80))))
        .hasMessageStartingWith("IPVS_CMD_DEL_SERVICE 198.18.0.99:80/TCP: ESRCH");
  }

  @Test
  void aThousandServicesGoOutBatchedAndAllArrive() {
    List<IpvsOperation> ops = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ServiceKey key = ServiceKey.tcp(ip("198.18.%d.%d".formatted(10 + i / 250, 1 + i % 250)), 80);
      ops.add(new AddService(IpvsService.of(key, "rr")));
      ops.add(new AddDestination(key, Destination.of(ip("198.19.0.1"), 80, Forwarding.DR, 1)));
    }
    long before = ipvs.requestsSent();

    List<IpvsTable.OperationResult> results = ipvs.apply(ops);

    assertThat(results).allMatch(IpvsTable.OperationResult::succeeded);
    assertThat(ipvs.requestsSent() - before).isEqualTo(2000);
    assertThat(Ipvsadm.save()).hasSize(2000);
    assertThat(ipvs.services()).hasSize(1000);
  }

  @Test
  void timeoutsAreReadAndSetAsIpvsadmShowsThem() {
    ipvs.setTimeouts(new IpvsTimeouts(1800, 60, 120));

    assertThat(ipvs.timeouts()).isEqualTo(new IpvsTimeouts(1800, 60, 120));
    assertThat(Ipvsadm.run("-L", "--timeout")).contains("Timeout (tcp tcpfin udp): 1800 60 120");
  }
}
