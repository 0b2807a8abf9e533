package io.kubelvs.operator.reconcile;

import static io.kubelvs.operator.reconcile.Eventually.eventually;
import static io.kubelvs.operator.reconcile.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.RealServerHealth;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.Planner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against fabric8's mock API server in CRUD mode: the samples applied with two
 * director nodes become two Directors; what agents write into the Directors' status shows in the
 * VirtualServices' and the pool's status.
 */
class ClusterReconcilerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private KubeMock kube;
  private KubernetesClient operatorClient;
  private ClusterReconciler operator;

  @BeforeEach
  void seed() {
    kube = new KubeMock();
    kube.addNode("director-1", "seed", "198.18.100.1");
    kube.addNode("director-2", "seed", "198.18.100.2");
    kube.applySample("seed/directorpool.yaml");
    kube.applySample("seed/virtualservice.yaml");
    kube.applySample("tcp-check/virtualservice.yaml");
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
    }
    kube.close();
  }

  private void startOperator() {
    operatorClient = kube.client();
    operator = new ClusterReconciler(operatorClient, CLOCK);
    operator.start();
  }

  @Test
  void theSeedBecomesOneDirectorPerNodeWithThePlannedSpec() {
    startOperator();

    eventually(
        () ->
            assertThat(directors())
                .extracting(d -> d.getMetadata().getName())
                .containsExactly("director-1", "director-2"));
    Plan plan = Planner.plan(snapshot().planInput());
    DirectorPool pool = kube.admin().resources(DirectorPool.class).withName("seed").get();
    for (Director director : directors()) {
      assertThat(runs(director.getMetadata().getName()))
          .isEqualTo(plan.directors().get(director.getMetadata().getName()));
      // Each instance names its pool's set of its servers instead of carrying them.
      assertThat(director.getSpec().vrrpInstances())
          .allSatisfy(
              i -> {
                assertThat(i.virtualServers()).isNull();
                assertThat(i.virtualServerSet().name()).isEqualTo("seed." + i.vrid());
                assertThat(i.virtualServerSet().generation()).isEqualTo(1L);
              });
      OwnerReference owner = director.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getUid()).isEqualTo(pool.getMetadata().getUid());
      assertThat(owner.getKind()).isEqualTo("DirectorPool");
      assertThat(owner.getController()).isTrue();
    }
    assertThat(directors().get(0).getSpec().vrrpInstances())
        .extracting(VrrpInstance::vrid, VrrpInstance::vips)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(99, List.of("172.16.53.50", "172.16.53.60")));
    eventually(
        () -> {
          DirectorPool seen = kube.admin().resources(DirectorPool.class).withName("seed").get();
          assertThat(seen.getStatus()).isNotNull();
          assertThat(seen.getStatus().allocations()).hasSize(2);
          assertThat(seen.getStatus().readyNodes()).isEqualTo("0/2");
          assertThat(seen.getSpec()).isEqualTo(pool.getSpec());
        });
    eventually(
        () -> {
          VirtualServiceStatus status = status("seed-web");
          assertThat(status.vip()).isEqualTo("172.16.53.50");
          assertThat(status.vrid()).isEqualTo(99);
          assertThat(condition(status, "Ready").reason()).isEqualTo("NotProgrammed");
          assertThat(condition(status, "Programmed").status()).isEqualTo(ConditionStatus.False);
        });
  }

  @Test
  void agentsReportsBecomeTheVirtualServiceStatus() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));

    reportAsAgent("director-1", VrrpState.MASTER, true);
    reportAsAgent("director-2", VrrpState.BACKUP, true);

    eventually(
        () -> {
          VirtualServiceStatus status = status("seed-web");
          assertThat(status.masterNode()).isEqualTo("director-1");
          assertThat(status.backends()).isEqualTo("1/2");
          assertThat(status.realServers())
              .extracting(RealServerHealth::address, RealServerHealth::healthy)
              .containsExactly(
                  org.assertj.core.api.Assertions.tuple("172.16.53.101", true),
                  org.assertj.core.api.Assertions.tuple("172.16.53.102", false));
          assertThat(status.directors())
              .extracting(d -> d.node(), d -> d.state(), d -> d.programmed())
              .containsExactly(
                  org.assertj.core.api.Assertions.tuple("director-1", VrrpState.MASTER, true),
                  org.assertj.core.api.Assertions.tuple("director-2", VrrpState.BACKUP, true));
          assertThat(condition(status, "Ready").status()).isEqualTo(ConditionStatus.True);
          assertThat(condition(status, "Programmed").status()).isEqualTo(ConditionStatus.True);
          assertThat(condition(status, "Degraded").reason()).isEqualTo("BackendsDown");
          assertThat(status.observedGeneration()).isEqualTo(1L);
        });
    eventually(
        () ->
            assertThat(
                    kube.admin()
                        .resources(DirectorPool.class)
                        .withName("seed")
                        .get()
                        .getStatus()
                        .readyNodes())
                .isEqualTo("2/2"));
  }

  @Test
  void aChangedServiceChangesTheDirectorsSpecAndLeavesTheAgentsStatus() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    reportAsAgent("director-1", VrrpState.MASTER, true);
    eventually(() -> assertThat(status("seed-web").masterNode()).isEqualTo("director-1"));
    DirectorStatus reported = directorNamed("director-1").getStatus();

    kube.admin()
        .resources(VirtualService.class)
        .inNamespace("default")
        .withName("seed-web")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"spec": {"realServers": [
              {"address": "172.16.53.101", "port": 80, "weight": 1},
              {"address": "172.16.53.102", "port": 80, "weight": 1},
              {"address": "172.16.53.103", "port": 80, "weight": 1}]}}
            """);

    eventually(
        () -> {
          Director director = directorNamed("director-1");
          VirtualServer seedWeb =
              runs("director-1").allVirtualServers().stream()
                  .filter(v -> v.name().equals("default/seed-web/80-tcp"))
                  .findFirst()
                  .orElseThrow();
          assertThat(seedWeb.realServers())
              .extracting(RealServer::address)
              .contains("172.16.53.103");
          assertThat(seedWeb.owner().generation()).isEqualTo(2L);
          // The change is in the set; the Director, and what its agent reported, stay.
          assertThat(director.getMetadata().getGeneration()).isEqualTo(1L);
          assertThat(director.getStatus()).isEqualTo(reported);
          // the agent has not applied the set's generation 2 yet
          assertThat(condition(status("seed-web"), "Programmed").reason()).isEqualTo("Pending");
          assertThat(status("seed-web").observedGeneration()).isEqualTo(2L);
        });
  }

  @Test
  void aSetRewrittenForOneServiceLeavesTheOthersProgrammed() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    reportAsAgent("director-1", VrrpState.MASTER, true);
    reportAsAgent("director-2", VrrpState.BACKUP, true);
    eventually(
        () ->
            assertThat(condition(status("postgres"), "Programmed").status())
                .isEqualTo(ConditionStatus.True));

    setFirstRealServerWeight("seed-web", 5);

    // Their set is at generation 2 and the agents still run 1: seed-web's entries changed in 2,
    // postgres's did not.
    eventually(
        () -> {
          assertThat(setGeneration("seed.99")).isEqualTo(2L);
          assertThat(condition(status("seed-web"), "Programmed").reason()).isEqualTo("Pending");
        });
    assertThat(condition(status("postgres"), "Programmed").status())
        .isEqualTo(ConditionStatus.True);

    // The agents run generation 2: seed-web is programmed again.
    reportAsAgent("director-1", VrrpState.MASTER, true);
    reportAsAgent("director-2", VrrpState.BACKUP, true);
    eventually(
        () ->
            assertThat(condition(status("seed-web"), "Programmed").status())
                .isEqualTo(ConditionStatus.True));
  }

  @Test
  void oneChangeIsOnePlanPassTheEchoesOfTheOperatorsOwnWritesStartNone()
      throws InterruptedException {
    startOperator();
    eventually(() -> assertThat(status("seed-web").observedGeneration()).isEqualTo(1L));
    long settled;
    do { // the Directors' creation comes back as adds, which plan once more
      settled = operator.passes();
      Thread.sleep(300);
    } while (operator.passes() != settled);

    setFirstRealServerWeight("seed-web", 5);

    eventually(
        () -> {
          assertThat(
                  runs("director-2").allVirtualServers().stream()
                      .filter(v -> v.name().equals("default/seed-web/80-tcp"))
                      .flatMap(v -> v.realServers().stream())
                      .filter(r -> r.address().equals("172.16.53.101")))
              .extracting(RealServer::weight)
              .containsExactly(5);
          assertThat(directorNamed("director-2").getMetadata().getGeneration()).isEqualTo(1L);
          assertThat(status("seed-web").observedGeneration()).isEqualTo(2L);
        });
    // The set write and the status write come back as events; neither plans again.
    Thread.sleep(2 * ClusterReconciler.STATUS_INTERVAL.toMillis());
    assertThat(operator.passes() - settled).isEqualTo(1);
  }

  @Test
  void aChangeRewritesItsInstancesSetAndNoDirector() throws InterruptedException {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    List<String> initialSets = sets().stream().map(x -> x.getMetadata().getName()).toList();
    kube.takeWrites();

    setFirstRealServerWeight("seed-web", 5);

    eventually(() -> assertThat(setGeneration("seed.99")).isEqualTo(2L));
    Thread.sleep(2 * ClusterReconciler.STATUS_INTERVAL.toMillis());
    // One set written (statuses follow apart), no Director: the agents take each new generation
    // of the sets their Directors name.
    assertThat(kube.takeWrites())
        .filteredOn(w -> w.contains("/directors/") || w.contains("/virtualserversets"))
        .containsExactly("PATCH /apis/kubelvs.io/v1alpha1/virtualserversets/seed.99");
    assertThat(directorNamed("director-1").getSpec().vrrpInstances().get(0).virtualServerSet())
        .isEqualTo(new VirtualServerSetRef("seed.99", 1L));
    assertThat(sets()).extracting(x -> x.getMetadata().getName()).isEqualTo(initialSets);
  }

  @Test
  void aSetChangedBySomeoneElseIsPutBack() {
    startOperator();
    eventually(() -> assertThat(sets()).isNotEmpty());
    VirtualServerSetSpec planned =
        kube.admin().resources(VirtualServerSet.class).withName("seed.99").get().getSpec();

    kube.admin()
        .resources(VirtualServerSet.class)
        .withName("seed.99")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"remove\", \"path\": \"/spec/virtualServers/0\"}]");

    eventually(
        () -> {
          VirtualServerSet now =
              kube.admin().resources(VirtualServerSet.class).withName("seed.99").get();
          assertThat(now.getMetadata().getGeneration()).isEqualTo(3L);
          assertThat(now.getSpec()).isEqualTo(planned);
        });
  }

  @Test
  void aDirectorSpecChangedBySomeoneElseIsPutBack() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    DirectorSpec planned = directorNamed("director-1").getSpec();

    kube.admin()
        .resources(Director.class)
        .withName("director-1")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"replace\", \"path\": \"/spec/vrrpInstances/0/priority\", \"value\": 1}]");

    eventually(
        () -> {
          Director now = directorNamed("director-1");
          assertThat(now.getMetadata().getGeneration()).isEqualTo(3L);
          assertThat(now.getSpec()).isEqualTo(planned);
        });
  }

  @Test
  void realServersFollowTheEndpointSlicesOfTheServiceNamedInBackendsFrom() {
    kube.applySample("backends-from-service/virtualservice.yaml");
    kube.admin().resource(slice("198.18.2.1")).create();
    startOperator();
    eventually(
        () ->
            assertThat(realServers("default/web-pods/80-tcp")).containsExactly("198.18.2.1:8080"));

    kube.admin().resource(slice("198.18.2.1", "198.18.2.2")).update();

    eventually(
        () ->
            assertThat(realServers("default/web-pods/80-tcp"))
                .containsExactly("198.18.2.1:8080", "198.18.2.2:8080"));
  }

  @Test
  void aMasterWhoseAgentWentSilentIsNotCountedAndTheNewMasterIs() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    reportAsAgent("director-1", VrrpState.MASTER, true);
    reportAsAgent("director-2", VrrpState.BACKUP, true);
    agentLease("director-2", CLOCK.instant());
    eventually(() -> assertThat(status("seed-web").masterNode()).isEqualTo("director-1"));

    // director-1's agent was killed: its Lease ran out, its status still says MASTER.
    agentLease("director-1", CLOCK.instant().minusSeconds(60));
    reportAsAgent("director-2", VrrpState.MASTER, true);

    eventually(
        () -> {
          VirtualServiceStatus status = status("seed-web");
          assertThat(status.masterNode()).isEqualTo("director-2");
          assertThat(condition(status, "Ready").status()).isEqualTo(ConditionStatus.True);
          assertThat(condition(status, "Degraded").reason()).isEqualTo("AgentSilent");
          assertThat(condition(status, "Degraded").message()).contains("director-1");
          assertThat(status.directors().get(0).message()).startsWith("agent silent");
        });

    // Its agent is back, still claiming MASTER: that renewal is news, and it is split brain.
    agentLease("director-1", CLOCK.instant());
    eventually(
        () ->
            assertThat(condition(status("seed-web"), "Degraded").reason()).isEqualTo("SplitBrain"));
  }

  /**
   * The heartbeat Lease an agent renews, 40 s long: created, or renewed in place (renewTime moved,
   * as the agent does) when it exists, renewed last at {@code renewed}.
   */
  private void agentLease(String node, Instant renewed) {
    ZonedDateTime at = ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC);
    var leases = kube.admin().leases().inNamespace("kubelvs-system");
    if (leases.withName(AgentLeases.name(node)).get() != null) {
      leases
          .withName(AgentLeases.name(node))
          .edit(
              l -> {
                l.getSpec().setRenewTime(at);
                return l;
              });
      return;
    }
    kube.admin()
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(AgentLeases.name(node))
                .withNamespace("kubelvs-system")
                .addToLabels(AgentLeases.NODE_LABEL, node)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(node)
                .withLeaseDurationSeconds(40)
                .withRenewTime(at)
                .endSpec()
                .build())
        .create();
  }

  @Test
  void twoMastersOfOneInstanceIsSplitBrain() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));

    reportAsAgent("director-1", VrrpState.MASTER, true);
    eventually(() -> assertThat(status("seed-web").masterNode()).isEqualTo("director-1"));
    reportAsAgent("director-2", VrrpState.MASTER, true);

    // The promise: split brain shows within 2 s of the agents reporting it.
    within(
        Duration.ofSeconds(2),
        () -> {
          VirtualServiceStatus status = status("seed-web");
          assertThat(status.masterNode()).isEqualTo("director-1,director-2");
          assertThat(condition(status, "Ready").reason()).isEqualTo("SplitBrain");
          assertThat(condition(status, "Degraded").reason()).isEqualTo("SplitBrain");
          assertThat(condition(status, "Degraded").message()).contains("director-1 and director-2");
          Condition pool =
              kube
                  .admin()
                  .resources(DirectorPool.class)
                  .withName("seed")
                  .get()
                  .getStatus()
                  .conditions()
                  .stream()
                  .filter(c -> c.type().equals("Degraded"))
                  .findFirst()
                  .orElseThrow();
          assertThat(pool.reason()).isEqualTo("SplitBrain");
        });
  }

  @Test
  void aNewerServiceOnTheSameVipAndPortGetsConflictNamingTheOlder() {
    startOperator();
    eventually(() -> assertThat(status("seed-web").vip()).isEqualTo("172.16.53.50"));

    VirtualService copy =
        kube.admin()
            .resources(VirtualService.class)
            .inNamespace("default")
            .withName("seed-web")
            .get();
    copy.setMetadata(
        new ObjectMetaBuilder().withName("seed-web-copy").withNamespace("default").build());
    copy.setStatus(null);
    kube.admin().resource(copy).create();

    eventually(
        () -> {
          Condition conflict = condition(status("seed-web-copy"), "Conflict");
          assertThat(conflict.status()).isEqualTo(ConditionStatus.True);
          assertThat(conflict.message()).contains("default/seed-web");
          assertThat(condition(status("seed-web-copy"), "Ready").status())
              .isEqualTo(ConditionStatus.False);
        });
    assertThat(condition(status("seed-web"), "Conflict").status()).isEqualTo(ConditionStatus.False);
    assertThat(runs("director-1").allVirtualServers())
        .extracting(VirtualServer::name)
        .doesNotContain("default/seed-web-copy/80-tcp");
  }

  @Test
  void deletingThePoolTakesItsDirectors() {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));

    kube.admin().resources(DirectorPool.class).withName("seed").delete();

    // A real API server's garbage collector follows the owner reference; the mock has none, so
    // the operator's own clean-up of Directors and sets it owns is what is seen here.
    eventually(() -> assertThat(directors()).isEmpty());
    eventually(() -> assertThat(sets()).isEmpty());
    eventually(
        () ->
            assertThat(condition(status("seed-web"), "Invalid").status())
                .isEqualTo(ConditionStatus.True));
  }

  @Test
  void aRestartedOperatorWritesNothing() throws InterruptedException {
    startOperator();
    eventually(() -> assertThat(directors()).hasSize(2));
    reportAsAgent("director-1", VrrpState.MASTER, true);
    reportAsAgent("director-2", VrrpState.BACKUP, true);
    eventually(() -> assertThat(status("seed-web").masterNode()).isEqualTo("director-1"));
    operator.reconcileNow();
    operator.close();
    operatorClient.close();
    List<String> before = kube.takeWrites();
    assertThat(before).isNotEmpty(); // the first operator did write: the check below can fail

    startOperator();
    operator.reconcileNow();

    assertThat(kube.takeWrites()).isEmpty();
    assertThat(operator.passes()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aPoolWhoseStatusWasLostGetsItsAllocationsBackFromTheDirectors() throws InterruptedException {
    startOperator();
    eventually(
        () ->
            assertThat(
                    kube.admin().resources(DirectorPool.class).withName("seed").get().getStatus())
                .isNotNull());
    operator.reconcileNow();
    List<Director> before = directors();
    operator.close();
    operatorClient.close();
    DirectorPool pool = kube.admin().resources(DirectorPool.class).withName("seed").get();
    List<?> allocations = pool.getStatus().allocations();
    pool.setStatus(null); // restored from a backup without status
    kube.admin().resource(pool).updateStatus();
    assertThat(kube.admin().resources(DirectorPool.class).withName("seed").get().getStatus())
        .isNull();
    kube.takeWrites();

    startOperator();
    operator.reconcileNow();

    eventually(
        () ->
            assertThat(
                    kube.admin().resources(DirectorPool.class).withName("seed").get().getStatus())
                .isNotNull()
                .extracting(s -> s.allocations())
                .isEqualTo(allocations));
    // Only the pool's status is written (twice, when a pass ran before the cache saw the first).
    assertThat(kube.takeWrites())
        .isNotEmpty()
        .containsOnly("PUT /apis/kubelvs.io/v1alpha1/directorpools/seed/status");
    assertThat(directors()).isEqualTo(before);
  }

  /** Writes the status an agent would after applying its Director: one real server down. */
  private void reportAsAgent(String node, VrrpState state, boolean applied) {
    Director director = kube.admin().resources(Director.class).withName(node).get();
    List<VirtualServerStatus> servers =
        runs(node).allVirtualServers().stream()
            .map(
                v ->
                    new VirtualServerStatus(
                        v.name(),
                        v.realServers().stream()
                            .map(r -> health(r, r.address().endsWith(".102")))
                            .toList(),
                        false,
                        true,
                        null))
            .toList();
    List<VrrpInstanceStatus> instances =
        director.getSpec().vrrpInstances().stream()
            .map(
                i ->
                    new VrrpInstanceStatus(
                        i.name(), state, "2026-01-01T00:00:00Z", i.priority(), null, null))
            .toList();
    Condition appliedCondition =
        new Condition(
            "Applied",
            applied ? ConditionStatus.True : ConditionStatus.False,
            director.getMetadata().getGeneration(),
            "2026-01-01T00:00:00Z",
            "Applied",
            "runs");
    // The sets the Director names, at the generation the agent holds now.
    List<VirtualServerSetRef> sets =
        director.getSpec().vrrpInstances().stream()
            .map(VrrpInstance::virtualServerSet)
            .filter(java.util.Objects::nonNull)
            .map(r -> new VirtualServerSetRef(r.name(), setGeneration(r.name())))
            .toList();
    director.setStatus(
        new DirectorStatus(
            director.getMetadata().getGeneration(),
            sets,
            instances.size(),
            state == VrrpState.MASTER ? instances.get(0).name() : "",
            instances,
            servers,
            List.of(appliedCondition)));
    kube.admin().resource(director).updateStatus();
  }

  private static RealServerHealth health(RealServer server, boolean down) {
    return new RealServerHealth(
        server.address(), server.port(), !down, down ? 0 : 1, down ? "HTTP 503" : null, null);
  }

  private List<String> realServers(String virtualServer) {
    return runs("director-1").allVirtualServers().stream()
        .filter(v -> v.name().equals(virtualServer))
        .flatMap(v -> v.realServers().stream())
        .map(r -> r.address() + ":" + r.port())
        .toList();
  }

  /** The EndpointSlice of Service default/web with ready pods at {@code addresses}, port 8080. */
  private static EndpointSlice slice(String... addresses) {
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("web-abcde")
            .withNamespace("default")
            .addToLabels("kubernetes.io/service-name", "web")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withPort(8080)
            .withProtocol("TCP")
            .endPort();
    for (String address : addresses) {
      slice
          .addNewEndpoint()
          .withAddresses(address)
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .endEndpoint();
    }
    return slice.build();
  }

  private Director directorNamed(String name) {
    return kube.admin().resources(Director.class).withName(name).get();
  }

  /** The node's Director with the servers of the sets it names: what its agent runs. */
  private DirectorSpec runs(String node) {
    return VirtualServerSets.resolved(
        directorNamed(node).getSpec(), VirtualServerSets.byName(sets()));
  }

  private long setGeneration(String name) {
    return kube.admin()
        .resources(VirtualServerSet.class)
        .withName(name)
        .get()
        .getMetadata()
        .getGeneration();
  }

  private List<VirtualServerSet> sets() {
    return kube.admin().resources(VirtualServerSet.class).list().getItems();
  }

  private List<Director> directors() {
    return kube.admin().resources(Director.class).list().getItems().stream()
        .sorted(java.util.Comparator.comparing(d -> d.getMetadata().getName()))
        .toList();
  }

  private ClusterSnapshot snapshot() {
    return new ClusterSnapshot(
        kube.admin().resources(DirectorPool.class).list().getItems(),
        kube.admin().resources(VirtualService.class).inAnyNamespace().list().getItems(),
        kube.admin().nodes().list().getItems(),
        List.of(),
        directors(),
        kube.admin().resources(VirtualServerSet.class).list().getItems(),
        List.of());
  }

  /** Changes the weight of the first real server of VirtualService default/{@code name}. */
  private void setFirstRealServerWeight(String name, int weight) {
    kube.admin()
        .resources(VirtualService.class)
        .inNamespace("default")
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"replace\", \"path\": \"/spec/realServers/0/weight\", \"value\": "
                + weight
                + "}]");
  }

  private VirtualServiceStatus status(String name) {
    VirtualService vs =
        kube.admin().resources(VirtualService.class).inNamespace("default").withName(name).get();
    assertThat(vs.getStatus()).as("status of " + name).isNotNull();
    return vs.getStatus();
  }

  private static Condition condition(VirtualServiceStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
