package io.kubelvs.agent.observe;

import io.kubelvs.agent.ipvs.FakeIpvsTable;
import io.kubelvs.agent.ipvs.IpvsException;
import io.kubelvs.agent.ipvs.IpvsOperation;
import io.kubelvs.agent.ipvs.IpvsStats;
import io.kubelvs.agent.ipvs.IpvsTable;
import io.kubelvs.agent.ipvs.ObservedDestination;
import io.kubelvs.agent.ipvs.ObservedService;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The observer's view of a {@link FakeIpvsTable}: the same services and destinations, with the
 * counters a test sets (the fake reports zeros), and a switch that makes every read fail as a
 * broken netlink socket would. Counts how often it was opened and closed. The reconciler gets
 * {@link #reconcilerView()}: the fake is not thread-safe, and the two read it from their own
 * threads as they do the kernel's table.
 */
final class CountingKernel implements IpvsTable, AutoCloseable {
  private final FakeIpvsTable table;
  private final Map<String, IpvsStats> stats = new ConcurrentHashMap<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private volatile boolean broken;

  CountingKernel(FakeIpvsTable table) {
    this.table = table;
  }

  /** What the observer calls to open its table. */
  CountingKernel open() {
    opened.incrementAndGet();
    return this;
  }

  /**
   * Counters of a service ({@code 198.18.0.50:80/TCP}) or destination ({@code ...
   * 198.18.0.101:80}).
   */
  void count(String what, IpvsStats counters) {
    stats.put(what, counters);
  }

  void broken(boolean isBroken) {
    broken = isBroken;
  }

  int opened() {
    return opened.get();
  }

  int closed() {
    return closed.get();
  }

  /** The table for the reconciler: the fake itself, one caller at a time, never broken. */
  IpvsTable reconcilerView() {
    return new IpvsTable() {
      @Override
      public List<ObservedService> services() {
        synchronized (table) {
          return table.services();
        }
      }

      @Override
      public List<ObservedDestination> destinations(ServiceKey service) {
        synchronized (table) {
          return table.destinations(service);
        }
      }

      @Override
      public List<OperationResult> apply(List<IpvsOperation> operations) {
        synchronized (table) {
          return table.apply(operations);
        }
      }
    };
  }

  @Override
  public List<ObservedService> services() {
    failIfBroken();
    synchronized (table) {
      return servicesWithCounters();
    }
  }

  private List<ObservedService> servicesWithCounters() {
    return table.services().stream()
        .map(s -> new ObservedService(s.service(), statsOf(s.service().key().toString())))
        .toList();
  }

  @Override
  public List<ObservedDestination> destinations(ServiceKey service) {
    failIfBroken();
    synchronized (table) {
      return destinationsWithCounters(service);
    }
  }

  private List<ObservedDestination> destinationsWithCounters(ServiceKey service) {
    return table.destinations(service).stream()
        .map(
            d ->
                new ObservedDestination(
                    d.destination(),
                    d.activeConnections(),
                    d.inactiveConnections(),
                    d.persistentConnections(),
                    statsOf(service + " " + d.destination().key())))
        .toList();
  }

  @Override
  public List<OperationResult> apply(List<IpvsOperation> operations) {
    throw new UnsupportedOperationException("the observer only reads");
  }

  @Override
  public void close() {
    closed.incrementAndGet();
  }

  private IpvsStats statsOf(String what) {
    return stats.getOrDefault(what, IpvsStats.ZERO);
  }

  private void failIfBroken() {
    if (broken) {
      throw new IpvsException("IPVS_CMD_GET_SERVICE dump: ENOBUFS (No buffer space available)");
    }
  }
}
