package io.kubelvs.agent.observe;

import io.kubelvs.agent.ipvs.Endpoints;
import io.kubelvs.agent.ipvs.IpvsException;
import io.kubelvs.agent.ipvs.IpvsStats;
import io.kubelvs.agent.ipvs.IpvsTable;
import io.kubelvs.agent.ipvs.ObservedDestination;
import io.kubelvs.agent.ipvs.ObservedService;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.agent.observe.DirectorStatus.IpvsCounters;
import io.kubelvs.agent.observe.DirectorStatus.KernelDestination;
import io.kubelvs.agent.observe.DirectorStatus.KernelService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the kernel's counters of the configured virtual servers, at scrape time, through an IPVS
 * table of its own: the reconciler's client has one owner, and a scrape must not wait for a
 * reconcile. Services the agent does not configure (kube-proxy's, hand-made ones) are not read, so
 * the series stay bounded by the configuration. The table is opened on the first read; a read that
 * fails closes it, and the next read opens it again, so a broken socket does not stay broken. Not
 * thread-safe: one reader at a time.
 */
final class KernelCounters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KernelCounters.class);

  private final Supplier<? extends IpvsTable> open;
  private IpvsTable table;

  /**
   * @param open opens the table, e.g. {@code IpvsClient::open}; closed if it is AutoCloseable
   */
  KernelCounters(Supplier<? extends IpvsTable> open) {
    this.open = Objects.requireNonNull(open, "open");
  }

  /**
   * The services among {@code ids} ({@link ServiceKey#toString()}) that are in the kernel's table,
   * by id, with their destinations. A service removed while it is read is left out. With no ids the
   * table is not even opened: a director that only runs VRRP may run where IPVS is missing.
   *
   * @throws RuntimeException when the table cannot be opened or read (IpvsException and others)
   */
  Map<String, KernelService> read(Set<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    try {
      if (table == null) {
        table = open.get();
      }
      Map<String, KernelService> found = new HashMap<>();
      for (ObservedService service : table.services()) {
        String id = service.service().key().toString();
        if (ids.contains(id)) {
          destinations(service.service().key())
              .ifPresent(d -> found.put(id, kernelService(service, d)));
        }
      }
      return found;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Optional<List<ObservedDestination>> destinations(ServiceKey key) {
    try {
      return Optional.of(table.destinations(key));
    } catch (IpvsException e) {
      if ("ESRCH".equals(e.errnoName())) {
        return Optional.empty(); // removed between the two dumps
      }
      throw e;
    }
  }

  private static KernelService kernelService(
      ObservedService service, List<ObservedDestination> observed) {
    List<KernelDestination> destinations = new ArrayList<>(observed.size());
    for (ObservedDestination d : observed) {
      destinations.add(
          new KernelDestination(
              Endpoints.format(d.destination().address(), d.destination().port()),
              d.destination().forwarding().name(),
              d.destination().weight(),
              d.activeConnections(),
              d.inactiveConnections(),
              counters(d.stats())));
    }
    return new KernelService(
        service.service().scheduler(), counters(service.stats()), destinations);
  }

  private static IpvsCounters counters(IpvsStats stats) {
    return new IpvsCounters(
        stats.connections(),
        stats.inPackets(),
        stats.outPackets(),
        stats.inBytes(),
        stats.outBytes());
  }

  /** Closes the table if one is open; the next read opens it again. */
  @Override
  public void close() {
    IpvsTable open = table;
    table = null;
    if (open instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing the IPVS table of the metrics failed error=\"{}\"", e.getMessage());
      }
    }
  }
}
