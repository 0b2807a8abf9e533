package io.kubelvs.agent.observe;

import io.kubelvs.agent.check.HealthSnapshot;
import io.kubelvs.agent.engine.DirectorEngine;
import io.kubelvs.agent.ipvs.IpvsTable;
import io.kubelvs.agent.observe.DirectorStatus.KernelService;
import io.kubelvs.agent.observe.DirectorStatus.VirtualServer;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInstance;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInterface;
import io.kubelvs.agent.vrrp.MonotonicClock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gathers what a running director knows about itself into one {@link DirectorStatus}: the VRRP
 * instances from the engine's published snapshots and the state changes it hears, the real servers
 * from the checker, and the kernel's IPVS counters, read now. A source that cannot be read is
 * reported as such and leaves its part empty; the rest is still served. One gathering at a time.
 */
public final class DirectorObserver implements AutoCloseable {
  static final String HEALTH = "health";
  static final String IPVS = "ipvs";

  private final DirectorEngine engine;
  private final VrrpTransitions transitions;
  private final KernelCounters kernel;
  private final InstantSource clock;
  private final SourceState health = new SourceState(HEALTH);
  private final SourceState ipvs = new SourceState(IPVS);

  private DirectorObserver(
      DirectorEngine engine,
      VrrpTransitions transitions,
      KernelCounters kernel,
      InstantSource clock) {
    this.engine = engine;
    this.transitions = transitions;
    this.kernel = kernel;
    this.clock = clock;
  }

  /**
   * Starts listening to {@code engine}'s VRRP state changes: call it before the engine's first
   * apply, or the first changes are not counted.
   *
   * @param kernel opens an IPVS table of the observer's own, e.g. {@code IpvsClient::open}
   */
  public static DirectorObserver attach(
      DirectorEngine engine, Supplier<? extends IpvsTable> kernel) {
    return attach(engine, kernel, MonotonicClock.system(), InstantSource.system());
  }

  /**
   * @param monotonic the clock the engine's VRRP runners run on
   * @param wall the clock of the times reported
   */
  static DirectorObserver attach(
      DirectorEngine engine,
      Supplier<? extends IpvsTable> kernel,
      MonotonicClock monotonic,
      InstantSource wall) {
    VrrpTransitions transitions = new VrrpTransitions(monotonic, wall);
    engine.vrrp().addStateListener(transitions);
    return new DirectorObserver(engine, transitions, new KernelCounters(kernel), wall);
  }

  /** Everything, now. */
  public synchronized DirectorStatus status() {
    List<VrrpInstance> instances = new ArrayList<>();
    engine.vrrp().instances().forEach(i -> instances.add(VrrpFacts.instance(i, transitions)));
    List<VrrpInterface> interfaces = new ArrayList<>();
    engine
        .vrrp()
        .unattributedDrops()
        .forEach((n, c) -> interfaces.add(VrrpFacts.unattributed(n, c)));
    Optional<HealthSnapshot> checks = health.read(() -> engine.lvs().health());
    Map<String, KernelService> services = Map.of();
    if (checks.isPresent()) {
      Set<String> ids = new HashSet<>();
      checks.get().virtualServers().forEach(vs -> ids.add(vs.id()));
      services = ipvs.read(() -> kernel.read(ids)).orElse(Map.of());
    } else {
      ipvs.failed("not read: the configured virtual servers are unknown without the checker");
    }
    List<VirtualServer> virtualServers = new ArrayList<>();
    for (HealthSnapshot.VirtualServer vs :
        checks.map(HealthSnapshot::virtualServers).orElse(List.of())) {
      virtualServers.add(HealthFacts.virtualServer(vs, services.get(vs.id())));
    }
    return new DirectorStatus(
        clock.instant().toString(),
        instances,
        interfaces,
        virtualServers,
        engine.lvs().lastOutcome().failure().orElse(null),
        List.of(health.status(), ipvs.status()));
  }

  /** Closes the observer's IPVS table; the engine is left as it is. */
  @Override
  public synchronized void close() {
    kernel.close();
  }
}
