package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.observe.DirectorStatus;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's Kubernetes side against fabric8's mock API server in CRUD mode: the watch of one
 * Director drives the engine (a recording one: the cores are proven elsewhere, the VM test runs
 * them under this), the spec is saved for a restart without the API server, the status and Events
 * are written as specified, coalesced, and retried on a stale resourceVersion.
 */
class DirectorFollowingTest {
  private static final String NODE = "node-a";
  private static final String NAMESPACE = "kubelvs-system";

  @TempDir Path stateDir;

  private final KubeMock api = new KubeMock();
  private final KubernetesClient client = api.client();
  private final RecordingEngine engine = new RecordingEngine();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<DirectorWatch> watches = new ArrayList<>();
  private volatile DirectorStatusBuilder.Applied lastApplied =
      DirectorStatusBuilder.Applied.NOTHING;

  @AfterEach
  void close() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    client.close();
    api.close();
  }

  @Test
  void theNodesDirectorIsAppliedWithItsSecretAndSavedForARestart() throws Exception {
    secret("s3cret");
    client.resource(KubeMock.director("node-b", spec("other"))).create();
    client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();

    // Published once applied and saved: what the status and a restart see.
    await(() -> follower.applied().generation().isPresent(), "the Director applied");
    assertThat(engine.applied().get(0).global().routerId()).isEqualTo("pool-1");
    assertThat(engine.applied().get(0).global().notificationFrom()).isEqualTo("s3cret");
    assertThat(follower.applied().generation()).contains(1L);
    assertThat(Files.readString(stateDir.resolve(DirectorStore.FILE_NAME)))
        .contains("pool-1")
        .contains("s3cret");
    assertThat(Files.getPosixFilePermissions(stateDir.resolve(DirectorStore.FILE_NAME)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // A restart with the API server away: the saved Director runs, with the saved secret.
    api.stop();
    RecordingEngine restarted = new RecordingEngine();
    DirectorFollower again =
        new DirectorFollower(
            NODE,
            DirectorFollowingTest::map,
            (name, key) -> {
              throw new AssertionError("no API server to read " + name + " from");
            },
            sets(),
            restarted::apply,
            new DirectorStore(stateDir),
            listener());
    toClose.add(again);
    assertThat(again.startFromDisk()).isTrue();
    assertThat(restarted.applied()).hasSize(1);
    assertThat(restarted.applied().get(0)).isEqualTo(engine.applied().get(0));
    assertThat(again.applied().generation()).contains(1L);
  }

  @Test
  void aNewSpecIsAppliedAStatusWriteIsNot() throws Exception {
    secret("s3cret");
    Director created = client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    follow();
    await(() -> engine.applied().size() == 1, "the first spec applied");

    created.setSpec(spec("pool-2"));
    client.resource(created).update();
    await(() -> lastApplied.generation().equals(Optional.of(2L)), "the second spec applied");
    assertThat(engine.applied()).hasSize(2);
    assertThat(engine.applied().get(1).global().routerId()).isEqualTo("pool-2");
    assertThat(lastApplied.generation()).contains(2L);

    Director current = client.resources(Director.class).withName(NODE).get();
    current.setStatus(
        new io.kubelvs.api.v1alpha1.DirectorStatus(
            2L, null, 0, "", List.of(), List.of(), List.of()));
    client.resource(current).updateStatus();
    Thread.sleep(1_000);
    assertThat(engine.applied()).hasSize(2);
  }

  @Test
  void aRefusedSpecLeavesTheRunningOneAndTheStatusSaysWhy() throws Exception {
    secret("s3cret");
    client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();
    StatusWriter status = statusWriter(follower, fastStatus());
    await(() -> follower.applied().generation().isPresent(), "the first spec applied");

    // edit: read, change, write with that resourceVersion, whatever status was written meanwhile.
    client
        .resources(Director.class)
        .withName(NODE)
        .edit(
            d -> {
              d.setSpec(spec("invalid"));
              return d;
            });
    await(() -> follower.applied().refused().isPresent(), "the refusal");
    status.changed();
    await(
        () ->
            condition("Invalid")
                .map(c -> c.status() == Condition.ConditionStatus.True)
                .orElse(false),
        "Invalid=True in the status");

    assertThat(engine.applied()).hasSize(1);
    Director seen = client.resources(Director.class).withName(NODE).get();
    assertThat(seen.getStatus().observedGeneration()).isEqualTo(1L);
    assertThat(condition("Invalid").orElseThrow().message())
        .isEqualTo("spec.poolName: \"invalid\" is not a pool");
    assertThat(condition("Applied").orElseThrow().status())
        .isEqualTo(Condition.ConditionStatus.False);
    assertThat(condition("Applied").orElseThrow().message())
        .isEqualTo("generation 1 runs; generation 2 was refused");
    assertThat(condition("Ready").orElseThrow().status())
        .isEqualTo(Condition.ConditionStatus.False);
  }

  @Test
  void deletingTheDirectorStopsBeingADirector() throws Exception {
    secret("s3cret");
    client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();
    await(() -> engine.applied().size() == 1, "applied");

    await(() -> follower.applied().generation().isPresent(), "applied and saved");
    client.resources(Director.class).withName(NODE).delete();
    await(
        () -> follower.applied().equals(DirectorStatusBuilder.Applied.NOTHING),
        "the empty configuration applied");
    assertThat(engine.applied()).hasSize(2);

    assertThat(engine.applied().get(1).vrrp().runners()).isEmpty();
    assertThat(engine.applied().get(1).virtualServers()).isEmpty();
    assertThat(stateDir.resolve(DirectorStore.FILE_NAME)).doesNotExist();
    assertThat(follower.applied()).isEqualTo(DirectorStatusBuilder.Applied.NOTHING);
  }

  @Test
  void statusWritesAreCoalescedAndCarryTheGeneration() throws Exception {
    secret("s3cret");
    client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();
    await(() -> follower.applied().generation().isPresent(), "applied");
    StatusWriter status =
        statusWriter(
            follower,
            new StatusWriter.Settings(
                Duration.ofMillis(500), Duration.ofMinutes(10), Duration.ofSeconds(1)));

    for (int i = 0; i < 300; i++) {
      status.changed();
    }
    await(() -> condition("Ready").isPresent(), "a status");
    Thread.sleep(1_500);

    assertThat(status.writes()).isBetween(1L, 2L);
    Director seen = client.resources(Director.class).withName(NODE).get();
    assertThat(seen.getStatus().observedGeneration()).isEqualTo(1L);
    assertThat(seen.getStatus().masterOf()).isEqualTo("VI_1");
    assertThat(seen.getStatus().instances().get(0).state())
        .isEqualTo(io.kubelvs.api.v1alpha1.VrrpState.MASTER);
    assertThat(condition("Ready").orElseThrow().status()).isEqualTo(Condition.ConditionStatus.True);
  }

  @Test
  void flushAndCloseWritesTheLastStateAtOnceDespiteTheRateLimit() throws Exception {
    secret("s3cret");
    client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();
    await(() -> follower.applied().generation().isPresent(), "applied");
    String[] state = {"MASTER"};
    StatusWriter status =
        new StatusWriter(
            client,
            NODE,
            () -> watches.get(0).cached(),
            director ->
                DirectorStatusBuilder.build(
                    facts(state[0]),
                    follower.applied(),
                    director.getMetadata().getGeneration(),
                    director.getStatus(),
                    Instant.now()),
            new StatusWriter.Settings(
                Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(1)));
    toClose.add(status);
    status.changed();
    await(() -> instanceState().equals(Optional.of("MASTER")), "the first status");

    // The agent stops: its handover leaves the instance STOPPED, and the writer is closed.
    state[0] = "STOPPED";
    status.changed();
    status.flushAndClose(Duration.ofSeconds(10));

    assertThat(instanceState()).contains("STOPPED");
  }

  private Optional<String> instanceState() {
    Director seen = client.resources(Director.class).withName(NODE).get();
    if (seen == null || seen.getStatus() == null || seen.getStatus().instances() == null) {
      return Optional.empty();
    }
    return seen.getStatus().instances().stream().map(i -> i.state().name()).findFirst();
  }

  @Test
  void aStaleResourceVersionIsReadAgainAndTheWriteRetried() throws Exception {
    secret("s3cret");
    Director created = client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower =
        new DirectorFollower(
            NODE,
            DirectorFollowingTest::map,
            this::readSecret,
            sets(),
            engine::apply,
            new DirectorStore(stateDir),
            listener());
    toClose.add(follower);
    follower.onDirector(created);
    await(() -> follower.applied().generation().isPresent(), "applied");
    // Someone else wrote the object after the copy the writer holds.
    Director changed = client.resources(Director.class).withName(NODE).get();
    changed.getMetadata().setLabels(Map.of("touched", "yes"));
    Director touched = client.resource(changed).update();
    assertThat(touched.getMetadata().getResourceVersion())
        .isNotEqualTo(created.getMetadata().getResourceVersion());

    StatusWriter status =
        new StatusWriter(
            client,
            NODE,
            () -> Optional.of(created),
            director ->
                DirectorStatusBuilder.build(
                    facts(),
                    follower.applied(),
                    director.getMetadata().getGeneration(),
                    director.getStatus(),
                    Instant.now()),
            fastStatus());
    toClose.add(status);
    status.changed();
    await(() -> condition("Ready").isPresent(), "the status written after the conflict");

    assertThat(status.writes()).isEqualTo(1);
    Director seen = client.resources(Director.class).withName(NODE).get();
    assertThat(seen.getMetadata().getLabels()).containsEntry("touched", "yes");
    assertThat(seen.getSpec()).isEqualTo(created.getSpec());
  }

  @Test
  void aFlappingBackendMakesAFewEventsWithCounts() throws Exception {
    EventRecorder recorder =
        recorder(
            new EventRecorder.Settings(
                Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMinutes(30), 64));
    for (int i = 0; i < 1_000; i++) {
      boolean down = i % 2 == 0;
      recorder.record(
          down ? "Warning" : "Normal",
          down ? "RealServerDown" : "RealServerUp",
          "198.18.0.101:80 of web/seed/80-tcp",
          "real server 198.18.0.101:80 of web/seed/80-tcp is " + (down ? "down" : "up"),
          Optional.empty());
      if (i % 100 == 0) {
        Thread.sleep(100);
      }
    }
    recorder.flushAndClose(Duration.ofSeconds(10));

    List<Event> events = client.events().v1().events().inNamespace(NAMESPACE).list().getItems();
    assertThat(events).hasSize(2);
    assertThat(events)
        .extracting(Event::getReason)
        .containsExactlyInAnyOrder("RealServerDown", "RealServerUp");
    int total =
        events.stream().mapToInt(e -> e.getSeries() == null ? 1 : e.getSeries().getCount()).sum();
    assertThat(total).isEqualTo(1_000);
    Event down =
        events.stream()
            .filter(e -> e.getReason().equals("RealServerDown"))
            .findFirst()
            .orElseThrow();
    assertThat(down.getType()).isEqualTo("Warning");
    assertThat(down.getRegarding().getKind()).isEqualTo("Director");
    assertThat(down.getRegarding().getName()).isEqualTo(NODE);
    assertThat(down.getReportingController()).isEqualTo("kubelvs.io/agent");
  }

  @Test
  void aRealServerEventIsRelatedToTheVirtualServiceOfItsServerInAnInstanceOrInTheSpec()
      throws Exception {
    Director director =
        TestDirectors.director(
            TestDirectors.INSTANCE
                + """
                    virtualServers:
                      - {name: lab/web/80-tcp, owner: {namespace: lab, name: web}, vip: 198.18.0.50, port: 80, scheduler: rr}
                virtualServers:
                  - {name: lab/marked/fwmark-9, owner: {namespace: lab, name: marked}, fwmark: 9, scheduler: rr}
                """);
    EventRecorder recorder = recorder(EventRecorder.Settings.DEFAULT);
    DirectorEvents events =
        new DirectorEvents(
            recorder,
            () -> Optional.of(director),
            () ->
                Map.of(
                    "198.18.0.50:80/TCP", "lab/web/80-tcp",
                    "fwmark 9/IPv4", "lab/marked/fwmark-9"));
    InetSocketAddress backend = new InetSocketAddress(InetAddress.getByName("198.18.0.101"), 80);
    events.onHealthEvent(
        new HealthEvent.RealServerDown("198.18.0.50:80/TCP", backend, "HTTP 503", Instant.now()));
    events.onHealthEvent(
        new HealthEvent.RealServerDown("fwmark 9/IPv4", backend, "HTTP 503", Instant.now()));
    recorder.flushAndClose(Duration.ofSeconds(10));

    assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems())
        .extracting(e -> e.getRelated().getNamespace() + "/" + e.getRelated().getName())
        .containsExactlyInAnyOrder("lab/web", "lab/marked");
  }

  @Test
  void afterAnOutageTheWatchAndTheStatusCatchUp() throws Exception {
    secret("s3cret");
    Director created = client.resource(KubeMock.director(NODE, spec("pool-1"))).create();
    DirectorFollower follower = follow();
    StatusWriter status = statusWriter(follower, fastStatus());
    await(() -> engine.applied().size() == 1, "applied");
    status.changed();
    await(() -> condition("Ready").isPresent(), "the first status");

    api.stop();
    for (int i = 0; i < 10; i++) {
      status.changed();
      Thread.sleep(200);
    }
    api.restart();
    client
        .resources(Director.class)
        .withName(NODE)
        .edit(
            d -> {
              d.setSpec(spec("pool-2"));
              return d;
            });

    await(
        () -> follower.applied().generation().equals(Optional.of(2L)),
        "the spec changed while the watch was down");
    status.changed();
    await(
        () ->
            Optional.ofNullable(client.resources(Director.class).withName(NODE).get().getStatus())
                .map(s -> Long.valueOf(2).equals(s.observedGeneration()))
                .orElse(false),
        "the status of generation 2");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
  }

  // --- helpers

  private DirectorFollower follow() {
    DirectorFollower follower =
        new DirectorFollower(
            NODE,
            DirectorFollowingTest::map,
            this::readSecret,
            sets(),
            engine::apply,
            new DirectorStore(stateDir),
            listener());
    toClose.add(follower);
    DirectorWatch watch = DirectorWatch.start(client, NODE, follower, () -> {});
    toClose.add(watch);
    watches.add(watch);
    return follower;
  }

  /** The sets of the pool, as the agent watches them; this test's Directors name none. */
  private VirtualServerSetWatch sets() {
    VirtualServerSetWatch sets = new VirtualServerSetWatch(client);
    toClose.add(sets);
    return sets;
  }

  private StatusWriter statusWriter(DirectorFollower follower, StatusWriter.Settings settings) {
    StatusWriter status =
        new StatusWriter(
            client,
            NODE,
            () -> watches.isEmpty() ? Optional.empty() : watches.get(0).cached(),
            director ->
                DirectorStatusBuilder.build(
                    facts(),
                    follower.applied(),
                    Optional.ofNullable(director.getMetadata().getGeneration()).orElse(0L),
                    director.getStatus(),
                    Instant.now()),
            settings);
    toClose.add(status);
    return status;
  }

  private static StatusWriter.Settings fastStatus() {
    return new StatusWriter.Settings(
        Duration.ofMillis(100), Duration.ofMinutes(10), Duration.ofMillis(500));
  }

  private DirectorFollower.Listener listener() {
    return new DirectorFollower.Listener() {
      @Override
      public void appliedChanged(DirectorStatusBuilder.Applied applied) {
        lastApplied = applied;
      }

      @Override
      public void refused(Director director, String message) {}
    };
  }

  private Optional<Condition> condition(String type) {
    Director seen = client.resources(Director.class).withName(NODE).get();
    if (seen == null || seen.getStatus() == null || seen.getStatus().conditions() == null) {
      return Optional.empty();
    }
    return seen.getStatus().conditions().stream().filter(c -> c.type().equals(type)).findFirst();
  }

  private void secret(String password) {
    KubeMock.createSecret(client, NAMESPACE, "vrrp-auth", "password", password);
  }

  private Optional<String> readSecret(String name, String key) {
    var secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.ofNullable(secret.getData())
        .map(d -> d.get(key))
        .map(v -> new String(java.util.Base64.getDecoder().decode(v)));
  }

  private static DirectorSpec spec(String pool) {
    return new DirectorSpec(NODE, pool, List.of(), List.of(), null);
  }

  /**
   * A stand-in for the real mapping (its own tests prove it): the pool becomes the router id, the
   * VRRP secret the sender, and the pool "invalid" is refused.
   */
  private static SpecMapping.Mapped map(Director director, SetOrigins origins, SecretReader secrets)
      throws SpecMapping.Refused {
    String pool = director.getSpec().poolName();
    if (pool.equals("invalid")) {
      throw new SpecMapping.Refused("spec.poolName: \"invalid\" is not a pool");
    }
    String password =
        secrets
            .read("vrrp-auth", "password")
            .orElseThrow(() -> new SpecMapping.Refused("secret vrrp-auth has no password"));
    return new SpecMapping.Mapped(
        new NodeConfig(
            new GlobalDefs(pool, List.of(), password, Optional.empty(), Duration.ofSeconds(30)),
            new VrrpConfig(List.of(), Set.of()),
            List.of()),
        Map.of());
  }

  /** What the observer would say: one instance, master; nothing degraded. */
  private static DirectorStatus facts() {
    return facts("MASTER");
  }

  /** One instance in {@code state}; nothing degraded. */
  private static DirectorStatus facts(String state) {
    return new DirectorStatus(
        Instant.now().toString(),
        List.of(
            new DirectorStatus.VrrpInstance(
                "VI_1",
                "eth0",
                51,
                state,
                "2026-12-03T10:00:00Z",
                "master down interval",
                100,
                100,
                10,
                0,
                Map.of(),
                Map.of(),
                Map.of())),
        List.of(),
        List.of(),
        null,
        List.of(new DirectorStatus.Source("health", true, 0, null)));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Records each configuration applied. */
  private static final class RecordingEngine {
    private final List<NodeConfig> applied = new ArrayList<>();

    synchronized void apply(NodeConfig config) {
      applied.add(config);
    }

    synchronized List<NodeConfig> applied() {
      return List.copyOf(applied);
    }
  }

  /** Events regarding this node's Director, into NAMESPACE. */
  private EventRecorder recorder(EventRecorder.Settings settings) {
    return new EventRecorder(
        client,
        NAMESPACE,
        () -> DirectorEvents.reference(NODE, Optional.empty()),
        NODE,
        InstantSource.system(),
        settings);
  }
}
