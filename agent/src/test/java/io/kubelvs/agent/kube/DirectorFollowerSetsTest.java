package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.KubeMock.await;
import static io.kubelvs.agent.kube.TestSets.API;
import static io.kubelvs.agent.kube.TestSets.SET;
import static io.kubelvs.agent.kube.TestSets.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Director whose VRRP instance keeps its virtual servers in a VirtualServerSet, followed against
 * fabric8's mock API server in CRUD mode with the real mapping and a recording engine: it runs once
 * the set is there at the generation it names, is refused when the set does not fit, and is saved
 * resolved, so it runs from the node's disk with no API server and no set.
 */
class DirectorFollowerSetsTest {
  private static final String NODE = "director-1";
  private static final String NAMESPACE = "kubelvs-system";

  @TempDir Path stateDir;

  private final KubeMock api = new KubeMock();
  private final KubernetesClient client =
      new KubernetesClientBuilder().withConfig(api.config()).build();
  private final KubernetesClient agent = api.client();
  private final List<NodeConfig> applied = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private VirtualServerSetWatch sets;

  @AfterEach
  void close() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    agent.close();
    client.close();
    api.close();
  }

  @Test
  void aDirectorNamingASetRunsOnceTheSetIsThere() throws Exception {
    client.resource(TestSets.naming(1)).create();
    DirectorFollower follower = follow();
    await(sets::synced);
    Thread.sleep(500);
    assertThat(applied).isEmpty();
    assertThat(follower.applied().generation()).isEmpty();

    client.resource(TestSets.set(1, WEB)).create();

    await(() -> follower.applied().generation().equals(Optional.of(1L)));
    assertThat(ids(last())).containsExactly("198.18.0.50:80/TCP");
    assertThat(follower.applied().namesById())
        .containsEntry("198.18.0.50:80/TCP", "lab/web/80-tcp");
    assertThat(follower.applied().sets()).isEqualTo(Map.of(TestSets.SET, 1L));
  }

  @Test
  void aNewGenerationOfASetRunsWithoutTheDirectorAndTheStatusSaysWhichRuns() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.naming(1)).create();
    DirectorFollower follower = follow();
    await(() -> applied.size() == 1);

    // The operator rewrites only the set; the Director keeps naming generation 1.
    setServers(WEB, API);

    await(() -> follower.applied().sets().equals(Map.of(TestSets.SET, 2L)));
    assertThat(ids(last())).containsExactly("198.18.0.50:80/TCP", "198.18.0.50:443/TCP");
    assertThat(follower.applied().generation()).hasValue(1L);
  }

  @Test
  void aSetOlderThanTheDirectorNamesIsWaitedFor() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.naming(2)).create();
    DirectorFollower follower = follow();
    await(sets::synced);
    Thread.sleep(500);
    assertThat(applied).isEmpty();

    setServers(WEB, API);

    await(() -> follower.applied().generation().equals(Optional.of(1L)));
    assertThat(ids(last())).containsExactly("198.18.0.50:80/TCP", "198.18.0.50:443/TCP");
  }

  @Test
  void aSetNewerThanTheDirectorNamesRunsAsItIs() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    setServers(API);
    setServers(WEB, API);
    client.resource(TestSets.naming(2)).create();

    DirectorFollower follower = follow();

    await(() -> follower.applied().generation().isPresent());
    assertThat(ids(last())).containsExactly("198.18.0.50:80/TCP", "198.18.0.50:443/TCP");
  }

  @Test
  void aSetChangeThenTheDirectorsNewReferenceRunTheNewServersOnce() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.naming(1)).create();
    DirectorFollower follower = follow();
    await(() -> applied.size() == 1);

    // The operator writes the set, then each Director's reference to its new generation.
    setServers(WEB, API);
    await(() -> applied.size() == 2);
    editDirector(TestSets.naming(2).getSpec());

    await(() -> follower.applied().generation().equals(Optional.of(2L)));
    assertThat(ids(last())).containsExactly("198.18.0.50:80/TCP", "198.18.0.50:443/TCP");
    Thread.sleep(300);
    assertThat(applied).as("the new reference resolves to what runs").hasSize(2);
  }

  @Test
  void aSetOfAnotherInstanceIsRefusedNamingItAndTheRunningConfigurationStays() throws Exception {
    DirectorFollower follower = runningWithoutSet();
    client.resource(TestSets.set(SET, TestSets.POOL, "VI_2", 1, API)).create();

    editDirector(TestSets.naming(1).getSpec());

    await(() -> follower.applied().refused().isPresent());
    assertThat(follower.applied().refused().orElseThrow().message())
        .isEqualTo(
            "Director director-1: spec.vrrpInstances[VI_1].virtualServerSet: VirtualServerSet"
                + " seed.99 holds the servers of instance \"VI_2\", not of \"VI_1\"");
    assertThat(refusals).hasSize(1);
    assertThat(applied).hasSize(1);
    assertThat(follower.applied().generation()).contains(1L);
  }

  @Test
  void aSetOfAnotherPoolIsRefusedNamingItAndTheRunningConfigurationStays() throws Exception {
    DirectorFollower follower = runningWithoutSet();
    VirtualServerSet blue = TestSets.set(SET, "blue", "VI_1", 1, API);
    // Labelled with this pool, as a hand-made set might be: the label brings it to the agent.
    blue.getMetadata().getLabels().put(VirtualServerSetWatch.POOL_LABEL, TestSets.POOL);
    client.resource(blue).create();

    editDirector(TestSets.naming(1).getSpec());

    await(() -> follower.applied().refused().isPresent());
    assertThat(follower.applied().refused().orElseThrow().message())
        .contains("VirtualServerSet seed.99 is of pool \"blue\", not of the Director's pool");
    assertThat(applied).hasSize(1);
  }

  @Test
  void aBadServerOfASetIsRefusedAtTheSetsPath() throws Exception {
    DirectorFollower follower = runningWithoutSet();
    client.resource(TestSets.set(1, WEB.replace("198.18.0.50", "198.18.0.60"))).create();

    editDirector(TestSets.naming(1).getSpec());

    await(() -> follower.applied().refused().isPresent());
    assertThat(follower.applied().refused().orElseThrow().message())
        .startsWith(
            "Director director-1: VirtualServerSet seed.99"
                + " spec.virtualServers[lab/web/80-tcp].vip: 198.18.0.60 is not a VIP");
    assertThat(applied).hasSize(1);
  }

  @Test
  void theResolvedDirectorIsSavedAndRunsFromDiskWithoutTheApiServer() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.naming(1, API)).create();
    DirectorFollower follower = follow();
    await(() -> follower.applied().generation().isPresent());
    String saved = Files.readString(stateDir.resolve(DirectorStore.FILE_NAME));
    assertThat(saved)
        .contains("lab/web/80-tcp", "lab/api/443-tcp")
        .doesNotContain("virtualServerSet");

    api.stop();
    List<NodeConfig> restarted = new CopyOnWriteArrayList<>();
    DirectorFollower again =
        new DirectorFollower(
            NODE,
            DirectorFollowerSetsTest::map,
            (name, key) -> {
              throw new AssertionError("no API server to read " + name + " from");
            },
            watchSets(),
            restarted::add,
            new DirectorStore(stateDir),
            listener());
    toClose.add(again);

    assertThat(again.startFromDisk()).isTrue();
    assertThat(restarted).containsExactly(last());
    assertThat(ids(restarted.get(0))).containsExactly("198.18.0.50:443/TCP", "198.18.0.50:80/TCP");
    assertThat(again.applied().generation()).contains(1L);
  }

  @Test
  void anEventOfASetsServerIsRelatedToItsVirtualService() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.naming(1)).create();
    DirectorFollower follower = follow();
    await(() -> follower.applied().generation().isPresent());
    EventRecorder recorder =
        new EventRecorder(
            agent,
            NAMESPACE,
            () -> DirectorEvents.reference(NODE, Optional.empty()),
            NODE,
            InstantSource.system(),
            EventRecorder.Settings.DEFAULT);
    DirectorEvents events =
        new DirectorEvents(recorder, follower::running, () -> follower.applied().namesById());

    events.onHealthEvent(
        new HealthEvent.RealServerDown(
            "198.18.0.50:80/TCP",
            new InetSocketAddress(InetAddress.getByName("198.18.0.101"), 80),
            "HTTP 503",
            Instant.now()));
    recorder.flushAndClose(Duration.ofSeconds(10));

    assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems())
        .extracting(e -> e.getRelated().getNamespace() + "/" + e.getRelated().getName())
        .containsExactly("lab/web");
  }

  @Test
  void theSetsFollowTheDirectorsPool() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.set("blue.99", "blue", "VI_1", 1, API)).create();
    client.resource(TestSets.naming(1)).create();
    DirectorFollower follower = follow();
    await(() -> applied.size() == 1);
    assertThat(sets.pool()).contains(TestSets.POOL);

    DirectorSpec seed = TestSets.naming(1).getSpec();
    VrrpInstance instance =
        seed.vrrpInstances().get(0).withServers(null, new VirtualServerSetRef("blue.99", 1L));
    editDirector(new DirectorSpec(NODE, "blue", List.of(instance), null, null));

    await(() -> follower.applied().generation().equals(Optional.of(2L)));
    assertThat(sets.pool()).contains("blue");
    assertThat(ids(last())).containsExactly("198.18.0.50:443/TCP");
  }

  // --- helpers

  private DirectorFollower follow() {
    sets = watchSets();
    DirectorFollower follower =
        new DirectorFollower(
            NODE,
            DirectorFollowerSetsTest::map,
            TestDirectors.SECRETS,
            sets,
            applied::add,
            new DirectorStore(stateDir),
            listener());
    toClose.add(follower);
    toClose.add(DirectorWatch.start(agent, NODE, follower, () -> {}));
    return follower;
  }

  private VirtualServerSetWatch watchSets() {
    VirtualServerSetWatch watch = new VirtualServerSetWatch(agent);
    toClose.add(watch);
    return watch;
  }

  /** Generation 1 runs: VI_1 with WEB of its own, no set. */
  private DirectorFollower runningWithoutSet() throws InterruptedException {
    client.resource(TestDirectors.inInstance(WEB)).create();
    DirectorFollower follower = follow();
    await(() -> follower.applied().generation().isPresent());
    return follower;
  }

  private DirectorFollower.Listener listener() {
    return new DirectorFollower.Listener() {
      @Override
      public void appliedChanged(DirectorStatusBuilder.Applied applied) {}

      @Override
      public void refused(Director director, String message) {
        refusals.add(message);
      }
    };
  }

  private void setServers(String... servers) {
    client
        .resources(VirtualServerSet.class)
        .withName(SET)
        .edit(
            s -> {
              s.setSpec(
                  new VirtualServerSetSpec(
                      s.getSpec().poolName(),
                      s.getSpec().instanceName(),
                      TestSets.servers(servers)));
              return s;
            });
  }

  private void editDirector(DirectorSpec spec) {
    client
        .resources(Director.class)
        .withName(NODE)
        .edit(
            d -> {
              d.setSpec(spec);
              return d;
            });
  }

  private NodeConfig last() {
    return applied.get(applied.size() - 1);
  }

  private static List<String> ids(NodeConfig config) {
    return config.virtualServers().stream().map(vs -> vs.checks().id()).toList();
  }

  /** The agent's mapping, with the node's interfaces named in the spec. */
  private static SpecMapping.Mapped map(Director director, SetOrigins origins, SecretReader secrets)
      throws SpecMapping.Refused {
    try {
      MappedDirector mapped = DirectorSpecs.map(director, origins, secrets, InterfaceResolver.NONE);
      Map<String, String> namesById = new HashMap<>();
      mapped.virtualServerIdsByName().forEach((name, id) -> namesById.put(id, name));
      return new SpecMapping.Mapped(mapped.config(), namesById);
    } catch (DirectorSpecException e) {
      throw new SpecMapping.Refused(e.getMessage());
    }
  }
}
