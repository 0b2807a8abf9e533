package io.kubelvs.agent.convert;

import io.kubelvs.agent.check.CheckMethod;
import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.DnsCheck;
import io.kubelvs.agent.check.HttpGetCheck;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.PingCheck;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.StatusCodeRange;
import io.kubelvs.agent.check.TcpCheck;
import io.kubelvs.agent.check.UdpCheck;
import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.api.v1alpha1.DnsQueryType;
import io.kubelvs.api.v1alpha1.HealthCheck;
import io.kubelvs.api.v1alpha1.HttpCheck;
import io.kubelvs.api.v1alpha1.HttpVersion;
import io.kubelvs.api.v1alpha1.TlsOptions;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * keepalived's checkers as a VirtualService's one health check. keepalived checks each real server
 * its own way; the API checks all alike, so the first checked real server's checker and timing are
 * the service's, and every real server checked otherwise, or not at all, gets a note. The timing is
 * always written out, since keepalived's defaults (delay_loop 60 s) are not the API's.
 */
final class HealthChecks {
  private static final Set<String> CHECKERS =
      Set.of(
          "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK");

  /** The API's most retries. */
  private static final int MAX_RETRIES = 100;

  private HealthChecks() {}

  /**
   * The health check of {@code realServers}, read from the virtual_server block {@code written};
   * null if none of them is checked.
   */
  static HealthCheck of(
      List<RealServerCheck> realServers, ConfNode written, List<ConversionNote> notes) {
    List<ConfNode> blocks = written.children("real_server");
    Optional<RealServerCheck> checked =
        realServers.stream().filter(rs -> rs.check().isPresent()).findFirst();
    if (checked.isEmpty()) {
      return null;
    }
    RealServerCheck base = checked.get();
    for (int i = 0; i < realServers.size(); i++) {
      RealServerCheck server = realServers.get(i);
      ConfNode block = blocks.get(i);
      if (server.check().isEmpty()) {
        notes.add(
            ConversionNote.at(
                block,
                String.join(" ", block.args())
                    + " has no checker, but the VirtualService checks all its real servers"));
      } else if (!checksAlike(server, base)) {
        ConfNode checker =
            block.children().stream()
                .filter(c -> CHECKERS.contains(c.keyword()))
                .findFirst()
                .orElse(block);
        notes.add(
            ConversionNote.at(
                checker,
                "real_server "
                    + String.join(" ", block.args())
                    + " is checked otherwise than the first checked one: the VirtualService"
                    + " checks all its real servers alike, as the first"));
      }
    }
    return healthCheck(base, written, notes);
  }

  private static boolean checksAlike(RealServerCheck a, RealServerCheck b) {
    return a.check().equals(b.check())
        && a.timing().equals(b.timing())
        && a.connectIp().equals(b.connectIp())
        && a.connectPort().equals(b.connectPort())
        && a.bindIp().equals(b.bindIp())
        && a.bindPort().equals(b.bindPort());
  }

  private static HealthCheck healthCheck(
      RealServerCheck base, ConfNode written, List<ConversionNote> notes) {
    CheckMethod method = base.check().orElseThrow();
    CheckTiming timing = base.timing();
    HttpCheck http = method instanceof HttpGetCheck h ? http(h, written, notes) : null;
    boolean ssl = method instanceof HttpGetCheck h && h.tls().isPresent();
    if (timing.retries() > MAX_RETRIES) {
      notes.add(
          ConversionNote.at(
              written,
              "retry "
                  + timing.retries()
                  + " is above the API's "
                  + MAX_RETRIES
                  + ": converted as "
                  + MAX_RETRIES));
    }
    return new HealthCheck(
        ssl ? null : http,
        ssl ? http : null,
        method instanceof TcpCheck ? new io.kubelvs.api.v1alpha1.TcpCheck() : null,
        method instanceof MiscCheck m
            ? new io.kubelvs.api.v1alpha1.MiscCheck(
                m.command(), GoDurations.format(m.timeout()), m.dynamicWeight() ? true : null)
            : null,
        method instanceof DnsCheck d
            ? new io.kubelvs.api.v1alpha1.DnsCheck(DnsQueryType.valueOf(d.type().name()), d.name())
            : null,
        method instanceof UdpCheck u ? udp(u) : null,
        method instanceof PingCheck ? new io.kubelvs.api.v1alpha1.PingCheck() : null,
        GoDurations.format(timing.interval()),
        GoDurations.format(timing.connectTimeout()),
        Math.min(MAX_RETRIES, timing.retries()),
        GoDurations.format(timing.retryDelay()),
        timing.warmup().map(GoDurations::format).orElse(null),
        timing.alpha() ? true : null,
        base.connectIp().map(InetAddress::getHostAddress).orElse(null),
        base.connectPort().isPresent() ? base.connectPort().getAsInt() : null,
        base.bindIp().map(InetAddress::getHostAddress).orElse(null),
        base.bindPort().isPresent() ? base.bindPort().getAsInt() : null);
  }

  private static HttpCheck http(HttpGetCheck check, ConfNode written, List<ConversionNote> notes) {
    TlsOptions tls = null;
    if (check.tls().isPresent()) {
      Optional<String> serverName = check.tls().get().serverName();
      if (serverName.isEmpty() && check.virtualHost().isPresent()) {
        notes.add(
            ConversionNote.at(
                written,
                "SSL_GET without enable_sni sends no server name; the API sends virtualHost "
                    + check.virtualHost().get()));
      }
      tls = serverName.map(name -> new TlsOptions(name, null)).orElse(null);
    }
    return new HttpCheck(
        check.path(),
        check.statusCodes().stream().map(StatusCodeRange::toString).toList(),
        check.digest().orElse(null),
        check.virtualHost().orElse(null),
        check.httpVersion() == io.kubelvs.agent.check.HttpVersion.HTTP_1_1
            ? HttpVersion.HTTP_1_1
            : null,
        tls);
  }

  private static io.kubelvs.api.v1alpha1.UdpCheck udp(UdpCheck check) {
    byte[] payload = check.payload();
    return new io.kubelvs.api.v1alpha1.UdpCheck(
        payload.length == 0 ? null : HexFormat.of().formatHex(payload),
        check.requireReply() ? true : null,
        check.minReplyLength() == 0 ? null : check.minReplyLength(),
        check.maxReplyLength() == 65535 ? null : check.maxReplyLength());
  }
}
