package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.desired;
import static io.kubelvs.agent.ipvs.IpvsFixtures.dr;
import static io.kubelvs.agent.ipvs.IpvsFixtures.fwmark;
import static io.kubelvs.agent.ipvs.IpvsFixtures.nat;
import static io.kubelvs.agent.ipvs.IpvsFixtures.observed;
import static io.kubelvs.agent.ipvs.IpvsFixtures.service;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static io.kubelvs.agent.ipvs.IpvsFixtures.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteService;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner's rules as a specification. The kernel side is given as the kernel reports it ({@link
 * IpvsFixtures#observed}: HASHED set, PERSISTENT with a timeout). Single-service diffs are
 * table-driven in {@link IpvsPlannerDiffTest}.
 */
class IpvsPlannerTest {
  static final ServiceKey WEB = tcp("198.18.0.50", 80);
  static final ServiceKey DNS = udp("198.18.0.53", 53);
  static final ServiceKey FOREIGN = tcp("198.18.0.99", 443);

  private final IpvsPlanner planner = new IpvsPlanner();
  private final List<ObservedService> kernel = new ArrayList<>();
  private final Map<ServiceKey, List<ObservedDestination>> kernelDestinations = new HashMap<>();

  private void inKernel(IpvsService s, Destination... dests) {
    kernel.add(observed(s));
    kernelDestinations.put(s.key(), observed(List.of(dests)));
  }

  private IpvsPlan plan(Set<ServiceKey> owned, DesiredService... desired) {
    return planner.plan(List.of(desired), owned, kernel, kernelDestinations);
  }

  @Test
  void fromEmptyAddsEachServiceFollowedByItsDestinations() {
    IpvsService web = service(WEB, "wrr");
    IpvsService dns = service(DNS, "rr");

    IpvsPlan plan =
        plan(
            Set.of(),
            desired(web, nat("198.18.1.2", 8080, 1), nat("198.18.1.1", 8080, 1)),
            desired(dns, nat("198.18.2.1", 53, 1)));

    assertThat(plan.operations())
        .containsExactly(
            new AddService(web),
            new AddDestination(WEB, nat("198.18.1.1", 8080, 1)),
            new AddDestination(WEB, nat("198.18.1.2", 8080, 1)),
            new AddService(dns),
            new AddDestination(DNS, nat("198.18.2.1", 53, 1)));
    assertThat(plan.owned()).containsExactlyInAnyOrder(WEB, DNS);
    assertThat(plan.conflicts()).isEmpty();
  }

  @Test
  void fromSupersetDeletesOnlyOwnedExtrasAndLeavesForeignServices() {
    inKernel(service(WEB, "rr"), nat("198.18.1.1", 80, 1), nat("198.18.1.2", 80, 1));
    inKernel(service(DNS, "rr"), nat("198.18.2.1", 53, 1));
    inKernel(service(FOREIGN, "rr"), nat("198.18.3.1", 443, 1));

    IpvsPlan plan = plan(Set.of(WEB, DNS), desired(service(WEB, "rr"), nat("198.18.1.1", 80, 1)));

    assertThat(plan.operations())
        .containsExactly(
            new DeleteService(DNS), new DeleteDestination(WEB, nat("198.18.1.2", 80, 1).key()));
    assertThat(plan.owned()).containsExactly(WEB);
  }

  @Test
  void deletedServiceTakesItsDestinationsWithoutOneRequestEach() {
    inKernel(service(DNS, "rr"), nat("198.18.2.1", 53, 1), nat("198.18.2.2", 53, 1));

    IpvsPlan plan = plan(Set.of(DNS));

    assertThat(plan.operations()).containsExactly(new DeleteService(DNS));
    assertThat(plan.owned()).isEmpty();
  }

  @Test
  void ownedServiceGoneFromKernelIsDroppedFromOwnershipWithoutOperations() {
    IpvsPlan plan = plan(Set.of(DNS));

    assertThat(plan.changesNothing()).isTrue();
    assertThat(plan.owned()).isEmpty();
  }

  @Test
  void ownedServiceGoneFromKernelButStillDesiredIsAddedAgain() {
    IpvsService dns = service(DNS, "rr");

    IpvsPlan plan = plan(Set.of(DNS), desired(dns));

    assertThat(plan.operations()).containsExactly(new AddService(dns));
    assertThat(plan.owned()).containsExactly(DNS);
  }

  @Test
  void foreignRuleOnADesiredKeyIsAConflictWithNoOperations() {
    inKernel(service(FOREIGN, "wlc"), nat("198.18.3.1", 443, 5));

    IpvsPlan plan = plan(Set.of(), desired(service(FOREIGN, "rr"), nat("198.18.3.2", 443, 1)));

    assertThat(plan.operations()).isEmpty();
    assertThat(plan.owned()).isEmpty();
    assertThat(plan.conflicts())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.key()).isEqualTo(FOREIGN);
              assertThat(c.message())
                  .contains(
                      "198.18.0.99:443/TCP", "scheduler wlc", "not made by kubelvs", "kube-proxy");
            });
  }

  @Test
  void conflictDoesNotHoldBackTheOtherServices() {
    inKernel(service(FOREIGN, "rr"));
    IpvsService web = service(WEB, "rr");

    IpvsPlan plan = plan(Set.of(), desired(service(FOREIGN, "rr")), desired(web));

    assertThat(plan.operations()).containsExactly(new AddService(web));
    assertThat(plan.conflicts()).extracting(IpvsPlan.Conflict::key).containsExactly(FOREIGN);
  }

  @Test
  void serviceDeletionsComeFirstThenEachServiceWithDestinationDeletionsBeforeAdditions() {
    ServiceKey early = tcp("198.18.0.1", 80);
    ServiceKey late = tcp("198.18.0.9", 80);
    inKernel(service(early, "rr"), nat("198.18.1.5", 80, 1));
    inKernel(service(late, "rr"));
    IpvsService earlyLc = service(early, "lc");

    IpvsPlan plan = plan(Set.of(early, late), desired(earlyLc, nat("198.18.1.1", 80, 1)));

    assertThat(plan.operations())
        .containsExactly(
            new DeleteService(late),
            new EditService(earlyLc),
            new DeleteDestination(early, nat("198.18.1.5", 80, 1).key()),
            new AddDestination(early, nat("198.18.1.1", 80, 1)));
  }

  @Test
  void sameInputsInAnyOrderGiveTheSamePlan() {
    List<DesiredService> desired = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ServiceKey key = tcp("198.18.0." + i, 80);
      List<Destination> dests = new ArrayList<>();
      for (int j = 1; j <= 4; j++) {
        dests.add(nat("198.18.1." + j, 80, i + j));
      }
      desired.add(new DesiredService(service(key, "wrr"), dests));
      if (i % 2 == 0) {
        inKernel(service(key, "rr"), nat("198.18.1.1", 80, 1), nat("198.18.1.9", 80, 1));
      }
    }
    inKernel(service(tcp("198.18.0.7", 80), "rr"));
    Set<ServiceKey> owned =
        Set.of(
            tcp("198.18.0.2", 80),
            tcp("198.18.0.4", 80),
            tcp("198.18.0.6", 80),
            tcp("198.18.0.7", 80));
    IpvsPlan reference = planner.plan(desired, owned, kernel, kernelDestinations);

    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      List<DesiredService> shuffled = new ArrayList<>();
      for (DesiredService d : desired) {
        List<Destination> dests = new ArrayList<>(d.destinations());
        Collections.shuffle(dests, random);
        shuffled.add(new DesiredService(d.service(), dests));
      }
      Collections.shuffle(shuffled, random);
      List<ObservedService> services = new ArrayList<>(kernel);
      Collections.shuffle(services, random);
      Map<ServiceKey, List<ObservedDestination>> dests = new HashMap<>();
      kernelDestinations.forEach(
          (k, v) -> {
            List<ObservedDestination> copy = new ArrayList<>(v);
            Collections.shuffle(copy, random);
            dests.put(k, copy);
          });

      assertThat(planner.plan(shuffled, owned, services, dests)).isEqualTo(reference);
    }
    // One deletion; per kept service an edit, a delete, a weight edit, 3 adds; per new one 1 + 4.
    assertThat(reference.operations()).hasSize(1 + 3 * 6 + 3 * 5);
  }

  @Test
  void ipv6AndFwmarkServicesArePlannedLikeAnyOther() {
    ServiceKey v6 = tcp("2001:db8::50", 443);
    ServiceKey mark = fwmark(AddressFamily.INET6, 7);
    inKernel(service(v6, "rr"), nat("2001:db8::1:1", 443, 1));
    IpvsService markService = service(mark, "sh");
    Destination markDest = dr("2001:db8::2:1", 0, 3);

    IpvsPlan plan =
        plan(
            Set.of(v6),
            desired(service(v6, "rr"), nat("2001:db8::1:1", 443, 4)),
            desired(markService, markDest));

    // KeyOrder puts address services before fwmark services.
    assertThat(plan.operations())
        .containsExactly(
            new EditDestination(v6, nat("2001:db8::1:1", 443, 4)),
            new AddService(markService),
            new AddDestination(mark, markDest));
    assertThat(plan.owned()).containsExactlyInAnyOrder(v6, mark);
  }

  @Test
  void kernelFlagBitsAreNotADifference() {
    IpvsService persistent = service(WEB, "rr").withPersistence(300, 0xFFFF_FF00);
    kernel.add(
        new ObservedService(
            persistent.withFlags(ServiceFlags.HASHED | ServiceFlags.PERSISTENT), IpvsStats.ZERO));

    assertThat(plan(Set.of(WEB), desired(persistent)).operations()).isEmpty();
  }

  @Test
  void twoServicesWithTheSameKeyAreRefused() {
    assertThatThrownBy(
            () -> plan(Set.of(), desired(service(WEB, "rr")), desired(service(WEB, "wrr"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("198.18.0.50:80/TCP is desired twice");
  }
}
