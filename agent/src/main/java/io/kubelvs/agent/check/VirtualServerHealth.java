package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of one virtual server and what they decide: which real servers take traffic with which
 * weight, quorum, the sorry server. The healthy weight sum is kept incrementally, so a check result
 * costs O(1) here; only a result that changes something rebuilds this virtual server's destinations
 * (O(its real servers)) and reports them if they differ from the last report.
 *
 * <p>Owned by the timer thread; not thread-safe.
 */
final class VirtualServerHealth implements RealServerChecker.Listener {

  private final CheckContext context;
  private final Map<InetSocketAddress, RealServerChecker> servers = new LinkedHashMap<>();
  private final QuorumState quorum = new QuorumState();
  private VirtualServerChecks config;
  private long healthyWeight;
  private DesiredDestinations lastPublished;

  private VirtualServerHealth(VirtualServerChecks config, CheckContext context) {
    this.config = config;
    this.context = context;
  }

  /**
   * Starts checking a new virtual server. {@code atStartup} is true for the checker's first
   * configuration (see {@link RealServerHealth#starting}).
   */
  static VirtualServerHealth start(
      VirtualServerChecks config, CheckContext context, boolean atStartup) {
    VirtualServerHealth health = new VirtualServerHealth(config, context);
    for (RealServerCheck server : config.realServers()) {
      health.startServer(server, health.initialHealth(server, atStartup));
    }
    health.settle();
    return health;
  }

  /**
   * Moves to {@code newConfig}: unchanged checks keep running with their state and history, changed
   * ones restart from their old state, new ones start, removed ones stop (reported down if they
   * were up, as keepalived's clear_service_rs does on a reload). Then quorum is evaluated again
   * with the new settings and the destinations are reported once if they changed.
   */
  void reconfigure(VirtualServerChecks newConfig) {
    Map<InetSocketAddress, RealServerChecker> previous = new LinkedHashMap<>(servers);
    servers.clear();
    config = newConfig;
    for (RealServerCheck server : newConfig.realServers()) {
      RealServerChecker old = previous.remove(server.realServer());
      if (old != null && old.config().sameCheckAs(server)) {
        old.reconfigure(server);
        servers.put(server.realServer(), old);
      } else if (old != null) {
        old.stop();
        RealServerHealth restarted = restartedHealth(old.health(), server);
        RealServerChecker checker = startServer(server, restarted);
        if (!old.up() && checker.up()) {
          emitUp(checker);
        }
      } else {
        startServer(server, initialHealth(server, false));
      }
    }
    for (RealServerChecker removed : previous.values()) {
      removed.stop();
      if (removed.up()) {
        emitDown(removed, HealthEvent.REMOVED);
      }
    }
    settle();
  }

  /** Stops everything of a virtual server removed from the configuration, and says so. */
  void remove() {
    stopAll(HealthEvent.REMOVED, true);
    lastPublished = new DesiredDestinations(config.id(), Map.of(), false, Optional.empty());
    context.publish(lastPublished);
  }

  /**
   * Stops everything at shutdown. With omega, servers that were up are reported down and a quorum
   * that was up is reported lost (keepalived.conf(5): "On daemon shutdown consider quorum and RS
   * down notifiers for execution"); without it, shutdown is silent. Destinations are not reported:
   * the agent leaves the data plane as it is when it stops.
   */
  void shutdown() {
    stopAll(HealthEvent.SHUTTING_DOWN, config.omega());
  }

  private void stopAll(String reason, boolean report) {
    for (RealServerChecker checker : servers.values()) {
      checker.stop();
      if (report && checker.up()) {
        emitDown(checker, reason);
      }
    }
    if (report && quorum.up()) {
      context.emit(
          new HealthEvent.QuorumLost(
              config.id(), 0, quorum.quorum(), quorum.hysteresis(), context.now()));
    }
  }

  @Override
  public void onHealthChange(
      RealServerChecker checker, RealServerHealth.Change change, int previousWeight) {
    boolean wasUp =
        change == RealServerHealth.Change.WENT_DOWN
            || (change != RealServerHealth.Change.WENT_UP && checker.up());
    healthyWeight += (checker.up() ? checker.weight() : 0) - (wasUp ? previousWeight : 0);
    if (change == RealServerHealth.Change.WENT_UP) {
      emitUp(checker);
    } else if (change != RealServerHealth.Change.NONE) {
      emitDown(checker, checker.health().lastReason());
    }
    reportQuorum(quorum.update(healthyWeight));
    publishIfChanged();
  }

  private RealServerHealth initialHealth(RealServerCheck server, boolean atStartup) {
    return server.check().isPresent()
        ? RealServerHealth.starting(server.timing(), atStartup, context.now())
        : RealServerHealth.unchecked(server.timing(), context.now());
  }

  private RealServerHealth restartedHealth(RealServerHealth old, RealServerCheck server) {
    return server.check().isPresent()
        ? RealServerHealth.restartedFrom(old, server.timing(), context.now())
        : RealServerHealth.unchecked(server.timing(), context.now());
  }

  private RealServerChecker startServer(RealServerCheck server, RealServerHealth health) {
    RealServerChecker checker = new RealServerChecker(server, health, context, this);
    servers.put(server.realServer(), checker);
    checker.start();
    return checker;
  }

  /** Recounts the healthy weight, evaluates quorum as keepalived's init_service_vs, reports. */
  private void settle() {
    long sum = 0;
    long total = 0;
    for (RealServerChecker checker : servers.values()) {
      sum += checker.up() ? checker.weight() : 0;
      total += checker.config().weight();
    }
    healthyWeight = sum;
    quorum.configure(config.quorum(), config.hysteresis(), total, config.sorryServer());
    reportQuorum(quorum.start(healthyWeight));
    publishIfChanged();
  }

  private void reportQuorum(QuorumState.Transition transition) {
    if (transition == QuorumState.Transition.GAINED) {
      context.emit(
          new HealthEvent.QuorumRegained(
              config.id(), healthyWeight, quorum.quorum(), quorum.hysteresis(), context.now()));
    } else if (transition == QuorumState.Transition.LOST) {
      context.emit(
          new HealthEvent.QuorumLost(
              config.id(), healthyWeight, quorum.quorum(), quorum.hysteresis(), context.now()));
    }
  }

  private void emitUp(RealServerChecker checker) {
    context.emit(
        new HealthEvent.RealServerUp(
            config.id(), checker.address(), checker.health().lastReason(), context.now()));
  }

  private void emitDown(RealServerChecker checker, String reason) {
    context.emit(
        new HealthEvent.RealServerDown(config.id(), checker.address(), reason, context.now()));
  }

  private void publishIfChanged() {
    DesiredDestinations destinations = destinations();
    if (!destinations.equals(lastPublished)) {
      lastPublished = destinations;
      context.publish(destinations);
    }
  }

  /**
   * The destination table keepalived would hold (ipwrapper.c, ipvswrapper.c): up servers with their
   * weight; a server with inhibit_on_failure that is down, or up while the sorry server is in, with
   * weight 0 (ipvs_cmd turns its removal into weight 0); the active sorry server with weight 1, or
   * an inactive one with sorry_server_inhibit at weight 0. Without a sorry server, the up servers
   * keep serving below quorum ("Change only if we have quorum or no sorry server").
   */
  DesiredDestinations destinations() {
    Map<InetSocketAddress, Integer> table = new LinkedHashMap<>();
    Optional<SorryServer> activeSorry = quorum.activeSorryServer();
    for (RealServerChecker checker : servers.values()) {
      if (checker.up() && activeSorry.isEmpty()) {
        table.put(checker.address(), checker.weight());
      } else if (checker.config().inhibitOnFailure()) {
        table.put(checker.address(), 0);
      }
    }
    if (activeSorry.isPresent()) {
      table.put(activeSorry.get().address(), SorryServer.WEIGHT);
    } else {
      quorum
          .sorryServer()
          .filter(SorryServer::inhibit)
          .ifPresent(sorry -> table.putIfAbsent(sorry.address(), 0));
    }
    return new DesiredDestinations(
        config.id(), table, quorum.up(), activeSorry.map(SorryServer::address));
  }

  VirtualServerChecks config() {
    return config;
  }

  HealthSnapshot.VirtualServer snapshot() {
    List<HealthSnapshot.RealServer> realServers = new ArrayList<>(servers.size());
    for (RealServerChecker checker : servers.values()) {
      realServers.add(checker.snapshot());
    }
    return new HealthSnapshot.VirtualServer(
        config.id(),
        quorum.up(),
        quorum.activeSorryServer().isPresent(),
        healthyWeight,
        quorum.quorum(),
        quorum.hysteresis(),
        realServers);
  }
}
