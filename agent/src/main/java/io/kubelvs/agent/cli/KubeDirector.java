package io.kubelvs.agent.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.kube.AgentClient;
import io.kubelvs.agent.kube.AgentLease;
import io.kubelvs.agent.kube.DirectorEvents;
import io.kubelvs.agent.kube.DirectorFollower;
import io.kubelvs.agent.kube.DirectorStatusBuilder;
import io.kubelvs.agent.kube.DirectorStore;
import io.kubelvs.agent.kube.DirectorWatch;
import io.kubelvs.agent.kube.EventRecorder;
import io.kubelvs.agent.kube.SecretReader;
import io.kubelvs.agent.kube.SpecMapping;
import io.kubelvs.agent.kube.StatusWriter;
import io.kubelvs.agent.kube.VirtualServerSetWatch;
import io.kubelvs.agent.observe.DirectorObserver;
import io.kubelvs.agent.observe.ObserveServer;
import io.kubelvs.api.v1alpha1.Director;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode ({@code kubelvs-agent run --node NODE}): the director follows the cluster-scoped
 * Director named after its node, and reports on it.
 *
 * <ol>
 *   <li>The Director the last run applied, saved on the node, runs first, before the API server is
 *       asked anything: a restart while the API server is away serves the VIPs all the same.
 *   <li>A watch of that one Director ({@link DirectorWatch}) applies each new spec as a diff
 *       ({@link DirectorFollower}); a refused spec leaves the running one. The virtual servers its
 *       instances keep in VirtualServerSets come from a watch of the sets of its pool ({@link
 *       VirtualServerSetWatch}); a spec waits until the sets it names are there.
 *   <li>Its status subresource follows what runs ({@link StatusWriter}); VRRP transitions and
 *       backend changes become Events ({@link EventRecorder}).
 *   <li>When the API server cannot be reached nothing in the data plane changes: VRRP, the checks
 *       and IPVS run on; the watch and the writers retry with their backoff, and catch up when it
 *       returns.
 *   <li>SIGTERM hands the VIPs over (planned handover) and stops; the IPVS rules stay.
 * </ol>
 */
final class KubeDirector {
  private static final Logger LOG = LoggerFactory.getLogger(KubeDirector.class);

  /** Where to run and what to follow. */
  record Options(
      String node,
      String namespace,
      Path stateDir,
      boolean flushOnStop,
      Optional<InetSocketAddress> http,
      Optional<Config> config) {}

  private KubeDirector() {}

  /** Runs until the process is told to stop; returns the exit status when it cannot run. */
  static int run(Options options, SpecMapping mapping, PrintStream err) {
    try {
      Files.createDirectories(options.stateDir());
    } catch (IOException e) {
      err.println(
          "cannot create the state directory " + options.stateDir() + ": " + e.getMessage());
      return Main.CANNOT_RUN;
    }
    KubernetesClient client =
        AgentClient.create(options.config().orElseGet(() -> Config.autoConfigure(null)));
    DirectorParts parts = DirectorParts.start(DirectorParts.Ipvs.open(), options.stateDir());
    DirectorObserver observer = DirectorObserver.attach(parts.engine, parts.counters());

    AtomicReference<DirectorWatch> watch = new AtomicReference<>();
    AtomicReference<StatusWriter> status = new AtomicReference<>();
    AtomicReference<DirectorEvents> events = new AtomicReference<>();
    java.util.function.Supplier<Optional<Director>> cached =
        () -> Optional.ofNullable(watch.get()).flatMap(DirectorWatch::cached);

    VirtualServerSetWatch sets = new VirtualServerSetWatch(client);
    DirectorFollower follower =
        new DirectorFollower(
            options.node(),
            mapping,
            new SecretReader() {
              @Override
              public Optional<String> read(String name, String key) {
                return secret(client, options.namespace(), name, key);
              }

              @Override
              public String describe(String name) {
                return options.namespace() + "/" + name;
              }
            },
            sets,
            config -> {
              try {
                parts.apply(config);
              } catch (CheckConfigException | DirectorParts.IpvsMissingException e) {
                throw new SpecMapping.Refused(e.getMessage());
              }
            },
            new DirectorStore(options.stateDir()),
            new DirectorFollower.Listener() {
              @Override
              public void appliedChanged(DirectorStatusBuilder.Applied applied) {
                Optional.ofNullable(status.get()).ifPresent(StatusWriter::changed);
              }

              @Override
              public void refused(Director director, String message) {
                Optional.ofNullable(events.get()).ifPresent(e -> e.onRefused(director, message));
              }
            });
    boolean fromDisk = follower.startFromDisk();

    Optional<ObserveServer> observe = Optional.empty();
    if (options.http().isPresent()) {
      try {
        observe =
            Optional.of(
                ObserveServer.start(
                    options.http().get(),
                    observer,
                    () ->
                        follower.applied().generation().isPresent() || fromDisk
                            ? Optional.empty()
                            : Optional.of("no Director applied yet")));
      } catch (IOException | RuntimeException e) {
        LOG.error(
            "observe cannot listen, running without its endpoints address={} error=\"{}\"",
            options.http().get(),
            e.getMessage());
      }
    }

    EventRecorder recorder =
        new EventRecorder(
            client,
            options.namespace(),
            () -> DirectorEvents.reference(options.node(), cached.get()),
            options.node(),
            InstantSource.system(),
            EventRecorder.Settings.DEFAULT);
    events.set(
        new DirectorEvents(recorder, follower::running, () -> follower.applied().namesById()));
    status.set(
        new StatusWriter(
            client,
            options.node(),
            cached,
            director ->
                DirectorStatusBuilder.build(
                    observer.status(),
                    follower.applied(),
                    Optional.ofNullable(director.getMetadata().getGeneration()).orElse(0L),
                    director.getStatus(),
                    InstantSource.system().instant()),
            StatusWriter.Settings.DEFAULT));
    // Only once the writer and the Events exist: VRRP may already run, from the saved Director.
    parts.engine.vrrp().addStateListener(change -> events.get().onStateChange(change));
    parts.engine.vrrp().addStateListener(change -> status.get().changed());
    parts.addHealthListener(event -> events.get().onHealthEvent(event));
    parts.addHealthListener(event -> status.get().changed());
    watch.set(DirectorWatch.start(client, options.node(), follower, status.get()::changed));
    AgentLease lease =
        AgentLease.start(
            client,
            options.namespace(),
            options.node(),
            InstantSource.system(),
            AgentLease.Settings.DEFAULT);

    CountDownLatch stopped = new CountDownLatch(1);
    Optional<ObserveServer> served = observe;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info(
                      options.flushOnStop()
                          ? "stopping: handing the VIPs over, removing the IPVS services we own"
                          : "stopping: handing the VIPs over; IPVS rules stay");
                  watch.get().close();
                  sets.close();
                  lease.close();
                  follower.close();
                  parts.stop(options.flushOnStop());
                  // The handover's transitions reach the API server if it is there: written
                  // now, not after the writer's rate limit, which close() would cut short.
                  status.get().flushAndClose(Duration.ofSeconds(3));
                  recorder.flushAndClose(Duration.ofSeconds(2));
                  served.ifPresentOrElse(ObserveServer::close, observer::close);
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    LOG.info(
        "running node={} namespace={} from_disk={}", options.node(), options.namespace(), fromDisk);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.OK;
  }

  private static Optional<String> secret(
      KubernetesClient client, String namespace, String name, String key) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    if (secret.getData() == null || !secret.getData().containsKey(key)) {
      return Optional.empty();
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
  }
}
