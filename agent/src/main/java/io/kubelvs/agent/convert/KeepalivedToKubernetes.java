package io.kubelvs.agent.convert;

import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.agent.config.KeepalivedNodeConfig;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.convert.VrrpInstances.Instance;
import io.kubelvs.agent.convert.VrrpInstances.Vip;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubelvs-agent convert}: a keepalived.conf as the resources that make kubelvs run it, one
 * DirectorPool for global_defs and the vrrp_instance blocks (with a Secret for auth_pass), one
 * VirtualService per virtual_server.
 *
 * <p>The file is read by the agent's own reader, so its values mean what they mean to {@code check}
 * and {@code run} (keepalived's defaults included) and a file they refuse is refused here, with the
 * same {@code file:line} problems. Only what the resources have no field for is taken out first
 * ({@link UnconvertedKeywords}), each with a note; so is whatever they say differently
 * (per-instance settings of a pool, per-real-server checks). Notes come back with the resource they
 * concern.
 */
public final class KeepalivedToKubernetes {

  /**
   * @param namespace of the VirtualServices
   * @param poolName the DirectorPool's name; empty for router_id, else the first instance's name,
   *     made a DNS label
   * @param hostName keepalived's router_id when global_defs has none
   */
  public record Options(String namespace, Optional<String> poolName, String hostName) {
    public Options {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(poolName, "poolName");
      Objects.requireNonNull(hostName, "hostName");
    }
  }

  private KeepalivedToKubernetes() {}

  /**
   * The file without what the API has no field for, and the notes on it: those on global_defs and
   * the instances (the pool's), on each kept virtual_server (its VirtualService's, in file order),
   * and on the rest (the file's).
   */
  private record Stripped(
      KeepalivedConf readable,
      List<ConversionNote> fileNotes,
      List<ConversionNote> poolNotes,
      List<ConfNode> virtualServers,
      List<List<ConversionNote>> virtualServerNotes) {}

  private static Stripped strip(KeepalivedConf conf) {
    List<ConversionNote> fileNotes = new ArrayList<>();
    List<ConversionNote> poolNotes = new ArrayList<>();
    List<ConfNode> virtualServers = new ArrayList<>();
    List<List<ConversionNote>> virtualServerNotes = new ArrayList<>();
    List<ConfNode> kept = new ArrayList<>();
    for (ConfNode statement : conf.root().children()) {
      boolean virtualServer = statement.keyword().equals("virtual_server");
      List<ConversionNote> notes =
          switch (statement.keyword()) {
            case "virtual_server" -> new ArrayList<>();
            case "global_defs", "vrrp_instance" -> poolNotes;
            default -> fileNotes;
          };
      Optional<ConfNode> left = UnconvertedKeywords.strip(statement, notes);
      left.ifPresent(kept::add);
      if (virtualServer && left.isPresent()) {
        virtualServers.add(statement);
        virtualServerNotes.add(notes);
      } else if (virtualServer) {
        fileNotes.addAll(notes);
      }
    }
    KeepalivedConf readable =
        new KeepalivedConf(
            new ConfNode("", List.of(), true, kept, conf.root().position()), conf.warnings());
    return new Stripped(readable, fileNotes, poolNotes, virtualServers, virtualServerNotes);
  }

  /**
   * @throws KeepalivedConfException if the agent's reader refuses what is left of the file
   */
  public static Conversion convert(KeepalivedConf conf, Options options)
      throws KeepalivedConfException {
    Stripped stripped = strip(conf);
    KeepalivedConf readable = stripped.readable();
    List<ConversionNote> poolNotes = stripped.poolNotes();
    NodeConfig node = KeepalivedNodeConfig.read(readable, options.hostName());

    List<Instance> instances = VrrpInstances.of(node.vrrp(), readable);
    String poolName = options.poolName().orElseGet(() -> poolName(readable, node, instances));
    DirectorPools.Result pool =
        DirectorPools.convert(
            poolName,
            node.global(),
            instances,
            node.vrrp().smtpAlert(),
            readable.root(),
            poolNotes);
    Map<InetAddress, Vip> vips = VrrpInstances.vips(instances);
    VirtualServices services =
        new VirtualServices(poolName, options.namespace(), vips, pool.highestPriority());
    List<Conversion.Manifest> manifests = new ArrayList<>();
    Set<InetAddress> served = new HashSet<>();
    for (int i = 0; i < node.virtualServers().size(); i++) {
      VirtualServerConfig vs = node.virtualServers().get(i);
      if (vs.service().key() instanceof ServiceKey.Address address) {
        served.add(address.address());
      }
      List<ConversionNote> notes = stripped.virtualServerNotes().get(i);
      manifests.add(
          new Conversion.Manifest(
              services.convert(vs, stripped.virtualServers().get(i), notes), notes));
    }
    vipNotes(vips, served, poolNotes);

    List<Conversion.Manifest> all = new ArrayList<>();
    pool.secret().ifPresent(secret -> all.add(new Conversion.Manifest(secret, List.of())));
    all.add(new Conversion.Manifest(pool.pool(), poolNotes));
    all.addAll(manifests);
    return new Conversion(header(conf, poolName), stripped.fileNotes(), all);
  }

  private static List<String> header(KeepalivedConf conf, String poolName) {
    return List.of(
        "Converted from " + conf.root().position() + " by kubelvs-agent convert.",
        "Label the director nodes: kubectl label node NODE "
            + DirectorPools.POOL_LABEL
            + "="
            + poolName);
  }

  /** VIPs that are added alone in kubelvs, or not at all. */
  private static void vipNotes(
      Map<InetAddress, Vip> vips, Set<InetAddress> served, List<ConversionNote> notes) {
    for (Vip vip : vips.values()) {
      String address = vip.address().getHostAddress();
      int prefix = vip.instance().runner().prefixed(vip.address()).prefixLength();
      int bits = vip.address().getAddress().length * 8;
      if (!served.contains(vip.address())) {
        notes.add(
            new ConversionNote(
                vip.line().position(),
                "virtual_ipaddress",
                address
                    + " has no virtual_server: kubelvs holds a VIP for a VirtualService only,"
                    + " not converted"));
      } else if (prefix != bits) {
        notes.add(
            new ConversionNote(
                vip.line().position(),
                "virtual_ipaddress",
                address + "/" + prefix + ": a VIP is added alone (/" + bits + ") in kubelvs"));
      }
    }
  }

  /** router_id if written, else the first instance's name, else the host name; as a DNS label. */
  private static String poolName(KeepalivedConf conf, NodeConfig node, List<Instance> instances) {
    boolean routerIdWritten =
        conf.statements("global_defs").stream().anyMatch(g -> !g.children("router_id").isEmpty());
    String name =
        routerIdWritten || instances.isEmpty() ? node.global().routerId() : instances.get(0).name();
    return dnsLabel(name);
  }

  /**
   * {@code LVS_DEVEL} as {@code lvs-devel}: what a pool name, a label value and a namespace all
   * take (RFC 1123 label: lower case, digits and '-', at most 63).
   */
  public static String dnsLabel(String text) {
    String label =
        text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (label.length() > 63) {
      label = label.substring(0, 63).replaceAll("-+$", "");
    }
    return label.isEmpty() ? "keepalived" : label;
  }
}
