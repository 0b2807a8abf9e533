package io.kubelvs.agent.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link KeepalivedPeer} runs: one vrrp_instance. {@code advertInterval} is whole seconds
 * for version 2 (RFC 3768), down to 10 ms for version 3; {@code authPass} is PASS authentication
 * (version 2 only); {@code virtualAddress} carries its prefix, e.g. 198.18.0.50/32; empty {@code
 * unicastPeers} means multicast to {@code multicastGroup}.
 */
public record KeepalivedPeerConfig(
    String interfaceName,
    int version,
    int vrid,
    int priority,
    Duration advertInterval,
    String multicastGroup,
    Optional<String> authPass,
    String virtualAddress,
    boolean nopreempt,
    List<String> unicastPeers) {

  public KeepalivedPeerConfig {
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("VRRP version is 2 or 3, not " + version);
    }
    if (version == 2 && advertInterval.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("a v2 advert interval is whole seconds");
    }
    unicastPeers = List.copyOf(unicastPeers);
  }

  /** Multicast, no authentication, preempting. */
  public static KeepalivedPeerConfig of(
      int version,
      int vrid,
      int priority,
      Duration advertInterval,
      String multicastGroup,
      String virtualAddress) {
    return new KeepalivedPeerConfig(
        NetnsLab.INTERFACE,
        version,
        vrid,
        priority,
        advertInterval,
        multicastGroup,
        Optional.empty(),
        virtualAddress,
        false,
        List.of());
  }

  public KeepalivedPeerConfig withAuthPass(String password) {
    return new KeepalivedPeerConfig(
        interfaceName,
        version,
        vrid,
        priority,
        advertInterval,
        multicastGroup,
        Optional.of(password),
        virtualAddress,
        nopreempt,
        unicastPeers);
  }

  public KeepalivedPeerConfig withNopreempt() {
    return new KeepalivedPeerConfig(
        interfaceName,
        version,
        vrid,
        priority,
        advertInterval,
        multicastGroup,
        authPass,
        virtualAddress,
        true,
        unicastPeers);
  }

  public KeepalivedPeerConfig withUnicastPeers(List<String> peers) {
    return new KeepalivedPeerConfig(
        interfaceName,
        version,
        vrid,
        priority,
        advertInterval,
        multicastGroup,
        authPass,
        virtualAddress,
        nopreempt,
        peers);
  }

  /**
   * keepalived.conf, one keyword per line: keepalived 2.2.7 silently ignores an authentication
   * block written on one line and then sends unauthenticated adverts.
   */
  public String toKeepalivedConf() {
    List<String> lines = new ArrayList<>();
    lines.add("global_defs {");
    lines.add("  vrrp_version " + version);
    lines.add("  vrrp_mcast_group4 " + multicastGroup);
    lines.add("}");
    lines.add("vrrp_instance " + KeepalivedPeer.INSTANCE + " {");
    lines.add("  interface " + interfaceName);
    lines.add("  state BACKUP");
    lines.add("  virtual_router_id " + vrid);
    lines.add("  priority " + priority);
    lines.add("  advert_int " + seconds(advertInterval));
    if (nopreempt) {
      lines.add("  nopreempt");
    }
    authPass.ifPresent(
        password -> {
          lines.add("  authentication {");
          lines.add("    auth_type PASS");
          lines.add("    auth_pass " + password);
          lines.add("  }");
        });
    if (!unicastPeers.isEmpty()) {
      lines.add("  unicast_peer {");
      unicastPeers.forEach(peer -> lines.add("    " + peer));
      lines.add("  }");
    }
    lines.add("  virtual_ipaddress {");
    lines.add("    " + virtualAddress + " dev " + interfaceName);
    lines.add("  }");
    lines.add("}");
    return String.join("\n", lines) + "\n";
  }

  private static String seconds(Duration interval) {
    return BigDecimal.valueOf(interval.toMillis(), 3).stripTrailingZeros().toPlainString();
  }
}
