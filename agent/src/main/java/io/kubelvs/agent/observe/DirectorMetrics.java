package io.kubelvs.agent.observe;

import io.kubelvs.agent.observe.DirectorStatus.IpvsCounters;
import io.kubelvs.agent.observe.DirectorStatus.KernelDestination;
import io.kubelvs.agent.observe.DirectorStatus.RealServer;
import io.kubelvs.agent.observe.DirectorStatus.Source;
import io.kubelvs.agent.observe.DirectorStatus.VirtualServer;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInstance;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInterface;
import io.kubelvs.agent.vrrp.VrrpRole;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The Prometheus series of a {@link DirectorStatus}, every name starting with {@code kubelvs_}. The
 * labels are bounded by the configuration: {@code interface}, {@code vrrp_instance} (not {@code
 * instance}, which Prometheus gives the scrape target), {@code state}, {@code reason}, {@code
 * virtual_server} ({@code 198.18.0.50:80/TCP}), {@code real_server} ({@code 198.18.0.101:80}),
 * {@code direction} ({@code in}, {@code out}) and {@code source}. A VRRP state is one series per
 * state, 1 for the one the instance is in and 0 for the others (an OpenMetrics state set), so that
 * a change never starts a new series.
 */
final class DirectorMetrics {
  private static final String IN = "in";
  private static final String OUT = "out";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).throwExceptionOnRegistrationFailure();
  private final ScrapeMeters meters = new ScrapeMeters(registry);

  /** The Prometheus text of {@code status}; series of what it no longer has are gone. */
  synchronized String scrape(DirectorStatus status) {
    meters.beginPass();
    status.vrrpInstances().forEach(this::vrrpInstance);
    status.vrrpInterfaces().forEach(this::vrrpInterface);
    status.virtualServers().forEach(this::virtualServer);
    meters.gauge(
        "kubelvs.ipvs.reconcile.failing",
        "1 while the last IPVS reconcile failed and is being retried",
        Tags.empty(),
        status.reconcileFailure() == null ? 0 : 1);
    status.sources().forEach(this::source);
    meters.endPass();
    return registry.scrape();
  }

  private void vrrpInstance(VrrpInstance i) {
    Tags tags = Tags.of("interface", i.interfaceName(), "vrrp_instance", i.name());
    for (VrrpRole role : VrrpRole.values()) {
      meters.gauge(
          "kubelvs.vrrp.state",
          "VRRP state of the instance: 1 for the state it is in, 0 for the others",
          tags.and("state", role.name()),
          VrrpFacts.is(i, role) ? 1 : 0);
    }
    i.transitions()
        .forEach(
            (state, n) ->
                meters.counter(
                    "kubelvs.vrrp.transitions",
                    "VRRP state changes since the agent started, by the state entered",
                    tags.and("state", state),
                    n));
    meters.gauge(
        "kubelvs.vrrp.priority", "Effective VRRP priority of the instance", tags, i.priority());
    meters.counter("kubelvs.vrrp.adverts.sent", "VRRP adverts sent", tags, i.advertsSent());
    meters.counter(
        "kubelvs.vrrp.adverts.received",
        "VRRP adverts received and taken into the election",
        tags,
        i.advertsReceived());
    dropped(tags, i.dropped());
  }

  private void vrrpInterface(VrrpInterface i) {
    dropped(Tags.of("interface", i.interfaceName(), "vrrp_instance", ""), i.dropped());
  }

  private void dropped(Tags tags, Map<String, Long> byReason) {
    byReason.forEach(
        (reason, n) ->
            meters.counter(
                "kubelvs.vrrp.adverts.dropped",
                "VRRP adverts dropped, by reason; vrrp_instance is empty for adverts dropped"
                    + " before their VRID was known",
                tags.and("reason", reason),
                n));
  }

  private void virtualServer(VirtualServer vs) {
    Tags tags = Tags.of("virtual_server", vs.id());
    meters.gauge(
        "kubelvs.virtual.server.quorum.up",
        "1 while the virtual server has quorum",
        tags,
        vs.quorumUp() ? 1 : 0);
    meters.gauge(
        "kubelvs.virtual.server.sorry.server.active",
        "1 while the sorry server takes the virtual server's traffic",
        tags,
        vs.sorryServerActive() ? 1 : 0);
    meters.gauge(
        "kubelvs.virtual.server.healthy.weight",
        "Sum of the weights of the real servers that are up",
        tags,
        vs.healthyWeight());
    vs.realServers().forEach(r -> realServer(tags.and("real_server", r.address()), r));
    if (vs.kernel() != null) {
      ipvsCounters("kubelvs.ipvs.service", "service", tags, vs.kernel().stats());
      vs.kernel().destinations().forEach(d -> destination(tags, d));
    }
  }

  private void realServer(Tags tags, RealServer r) {
    meters.gauge(
        "kubelvs.real.server.up", "1 while the real server's checks say it is up", tags, up(r));
    meters.gauge(
        "kubelvs.real.server.weight",
        "Weight the real server gets while it is up",
        tags,
        r.weight());
    meters.counter(
        "kubelvs.real.server.checks",
        "Health checks of the real server completed",
        tags,
        r.checks());
    if (r.lastLatencySeconds() != null) {
      meters.gauge(
          "kubelvs.real.server.check.latency.seconds",
          "How long the real server's last completed health check took",
          tags,
          r.lastLatencySeconds());
    }
  }

  private void destination(Tags service, KernelDestination d) {
    Tags tags = service.and("real_server", d.address());
    ipvsCounters("kubelvs.ipvs.destination", "destination", tags, d.stats());
    meters.gauge(
        "kubelvs.ipvs.destination.active.connections",
        "Connections of the IPVS destination in ESTABLISHED (ipvsadm's ActiveConn)",
        tags,
        d.activeConnections());
    meters.gauge(
        "kubelvs.ipvs.destination.inactive.connections",
        "Connections of the IPVS destination in other states (ipvsadm's InActConn)",
        tags,
        d.inactiveConnections());
    meters.gauge(
        "kubelvs.ipvs.destination.weight",
        "Weight of the IPVS destination in the kernel",
        tags,
        d.weight());
  }

  private void ipvsCounters(String prefix, String what, Tags tags, IpvsCounters c) {
    meters.counter(
        prefix + ".connections",
        "Connections the IPVS " + what + " scheduled",
        tags,
        c.connections());
    String packets = "Packets through the IPVS " + what + ", by direction";
    meters.counter(prefix + ".packets", packets, tags.and("direction", IN), c.inPackets());
    meters.counter(prefix + ".packets", packets, tags.and("direction", OUT), c.outPackets());
    String bytes = "Bytes through the IPVS " + what + ", by direction";
    meters.counter(prefix + ".bytes", bytes, tags.and("direction", IN), c.inBytes());
    meters.counter(prefix + ".bytes", bytes, tags.and("direction", OUT), c.outBytes());
  }

  private void source(Source s) {
    Tags tags = Tags.of("source", s.name());
    meters.gauge(
        "kubelvs.scrape.source.ok",
        "1 when the source (health: the checker, ipvs: the kernel's table) was read for this scrape",
        tags,
        s.ok() ? 1 : 0);
    meters.counter(
        "kubelvs.scrape.source.errors", "Scrapes that could not read the source", tags, s.errors());
  }

  private static double up(RealServer r) {
    return r.up() ? 1 : 0;
  }
}
