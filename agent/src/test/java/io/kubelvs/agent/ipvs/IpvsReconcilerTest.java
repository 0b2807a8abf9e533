package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.desired;
import static io.kubelvs.agent.ipvs.IpvsFixtures.dr;
import static io.kubelvs.agent.ipvs.IpvsFixtures.fwmark;
import static io.kubelvs.agent.ipvs.IpvsFixtures.nat;
import static io.kubelvs.agent.ipvs.IpvsFixtures.service;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static io.kubelvs.agent.ipvs.IpvsFixtures.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.ipvs.FakeIpvsTable.SimulatedCrash;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler against {@link FakeIpvsTable}: convergence, ownership, rollback. */
class IpvsReconcilerTest {
  static final ServiceKey WEB = tcp("198.18.0.50", 80);
  static final ServiceKey DNS = udp("198.18.0.53", 53);
  static final ServiceKey MARK = fwmark(AddressFamily.INET, 7);
  static final ServiceKey KUBE_PROXY = tcp("198.18.0.99", 443);
  static final ServiceKey BY_HAND = tcp("198.18.0.98", 22);

  final FakeIpvsTable table = new FakeIpvsTable();
  final InMemoryOwnedServicesStore store = new InMemoryOwnedServicesStore();
  final IpvsReconciler reconciler = new IpvsReconciler(table, store);

  static List<DesiredService> webAndDns() {
    return List.of(
        desired(service(WEB, "wrr"), nat("198.18.1.1", 8080, 3), nat("198.18.1.2", 8080, 1)),
        desired(service(DNS, "rr").withPersistence(60, 0xFFFF_FF00), nat("198.18.2.1", 53, 1)));
  }

  /**
   * What the table holds when exactly {@code services} were programmed, for whole-table asserts.
   */
  static String tableOf(List<DesiredService> services) {
    FakeIpvsTable expected = new FakeIpvsTable();
    services.forEach(
        s -> expected.program(s.service(), s.destinations().toArray(Destination[]::new)));
    return expected.dump();
  }

  @Test
  void convergesFromEmpty() {
    ReconcileResult result = reconciler.reconcile(webAndDns());

    assertThat(table.dump()).isEqualTo(tableOf(webAndDns()));
    assertThat(result.counts().servicesAdded()).isEqualTo(2);
    assertThat(result.counts().destinationsAdded()).isEqualTo(3);
    assertThat(result.counts().total()).isEqualTo(5);
    assertThat(store.load()).containsExactlyInAnyOrder(WEB, DNS);
  }

  @Test
  void convergesFromSupersetDeletingOnlyWhatItOwns() {
    reconciler.reconcile(webAndDns());
    List<DesiredService> webOnly =
        List.of(desired(service(WEB, "wrr"), nat("198.18.1.1", 8080, 3)));

    ReconcileResult result = reconciler.reconcile(webOnly);

    assertThat(table.dump()).isEqualTo(tableOf(webOnly));
    assertThat(result.applied())
        .containsExactly(
            new IpvsOperation.DeleteService(DNS),
            new IpvsOperation.DeleteDestination(WEB, nat("198.18.1.2", 8080, 1).key()));
    assertThat(store.load()).containsExactly(WEB);
  }

  @Test
  void foreignRulesSurviveUnchanged() {
    table.program(service(KUBE_PROXY, "rr"), nat("198.18.3.1", 443, 1));
    table.program(service(BY_HAND, "sh").withFlags(ServiceFlags.SH_PORT), dr("198.18.3.2", 22, 2));
    String kubeProxyBefore = table.dump(KUBE_PROXY);
    String byHandBefore = table.dump(BY_HAND);
    List<DesiredService> wantsKubeProxysKey =
        List.of(
            desired(service(KUBE_PROXY, "wlc"), nat("198.18.1.9", 443, 1)),
            desired(service(WEB, "rr"), nat("198.18.1.1", 80, 1)));

    ReconcileResult first = reconciler.reconcile(wantsKubeProxysKey);
    ReconcileResult second = reconciler.reconcile(List.of());

    assertThat(first.conflicts()).extracting(IpvsPlan.Conflict::key).containsExactly(KUBE_PROXY);
    assertThat(first.applied()).allMatch(op -> op.serviceKey().equals(WEB));
    assertThat(second.applied()).containsExactly(new IpvsOperation.DeleteService(WEB));
    assertThat(table.dump(KUBE_PROXY)).isEqualTo(kubeProxyBefore);
    assertThat(table.dump(BY_HAND)).isEqualTo(byHandBefore);
    assertThat(store.load()).isEmpty();
  }

  @Test
  void secondRunWithTheSameInputSendsNothing() {
    List<DesiredService> desired =
        List.of(
            webAndDns().get(0),
            webAndDns().get(1),
            desired(service(MARK, "mh"), dr("198.18.4.1", 0, 1)),
            desired(service(tcp("2001:db8::50", 443), "rr"), nat("2001:db8::1:1", 443, 1)),
            desired(service(tcp("198.18.0.60", 80), "rr"), nat("127.0.0.1", 8080, 1)));
    reconciler.reconcile(desired);
    int requestsAfterFirstRun = table.requests().size();
    int savesAfterFirstRun = store.saves();

    ReconcileResult second = reconciler.reconcile(desired);

    assertThat(second.applied()).isEmpty();
    assertThat(table.requests()).hasSize(requestsAfterFirstRun);
    assertThat(store.saves()).isEqualTo(savesAfterFirstRun);
  }

  @Test
  void oneWeightChangeIsExactlyOneRequestOfOneOperation() {
    reconciler.reconcile(webAndDns());
    int requestsBefore = table.requests().size();
    List<DesiredService> changed =
        List.of(
            desired(service(WEB, "wrr"), nat("198.18.1.1", 8080, 3), nat("198.18.1.2", 8080, 5)),
            webAndDns().get(1));

    ReconcileResult result = reconciler.reconcile(changed);

    assertThat(result.applied())
        .containsExactly(new EditDestination(WEB, nat("198.18.1.2", 8080, 5)));
    assertThat(result.counts().destinationsEdited()).isEqualTo(1);
    assertThat(table.requests()).hasSize(requestsBefore + 1);
    assertThat(table.requests().get(requestsBefore)).hasSize(1);
  }

  @Test
  void twoDesiredServicesWithOneKeyChangeNothing() {
    reconciler.reconcile(webAndDns());
    String before = table.dump();

    assertThatThrownBy(
            () ->
                reconciler.reconcile(
                    List.of(desired(service(WEB, "rr")), desired(service(WEB, "lc")))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(table.dump()).isEqualTo(before);
    assertThat(store.load()).containsExactlyInAnyOrder(WEB, DNS);
  }

  @Test
  void ownershipIsWrittenBeforeTheFirstRequestGoesOut() {
    table.crashAfter(0);

    assertThatThrownBy(() -> reconciler.reconcile(webAndDns())).isInstanceOf(SimulatedCrash.class);

    assertThat(table.dump()).isEmpty();
    assertThat(store.load()).containsExactlyInAnyOrder(WEB, DNS);
  }

  @Test
  void runsAfterAnUnreadableOwnershipStoreChangeNothing() {
    OwnedServicesStore broken =
        new OwnedServicesStore() {
          @Override
          public Set<ServiceKey> load() {
            throw new OwnedServicesStoreException("cannot read /run/x", null);
          }

          @Override
          public void save(Set<ServiceKey> owned) {}
        };

    assertThatThrownBy(() -> new IpvsReconciler(table, broken).reconcile(webAndDns()))
        .isInstanceOf(OwnedServicesStoreException.class);
    assertThat(table.requests()).isEmpty();
  }
}
