package io.kubelvs.agent.kube;

import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.Notifications;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.EmailNotification;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node's {@link Director} as the engine's {@link NodeConfig}: the same engine {@code
 * kubelvs-agent run --config keepalived.conf} drives, so a Director and the keepalived.conf it was
 * converted from run alike. A pure function of the resource, the Secrets it refers to and, for an
 * interface selected by CIDR, the node's interfaces.
 *
 * <p>What maps where (keepalived's words in brackets, as {@code KeepalivedNodeConfig} reads them):
 *
 * <ul>
 *   <li>{@code spec.nodeName} → {@link GlobalDefs#routerId()} and the SMTP HELO name [router_id,
 *       smtp_helo_name; both the host name by default, and a Director is named after its node]
 *   <li>{@code spec.notification.email} → {@link GlobalDefs} [notification_email,
 *       notification_email_from, smtp_server, smtp_connect_timeout], and mail on every VRRP
 *       instance's state changes [smtp_alert in each vrrp_instance] and on real servers going up
 *       and down [keepalived's default]; without it no mail goes
 *   <li>{@code spec.vrrpInstances} → {@link NodeConfig#vrrp()}, one runner per interface and family
 *       ({@link DirectorVrrp})
 *   <li>each instance's {@code virtualServers}, then {@code spec.virtualServers} → {@link
 *       NodeConfig#virtualServers()} ({@link DirectorVirtualServers}, {@link ServiceKeys}, {@link
 *       DirectorHealthChecks}); an instance's {@code virtualServerSet} must have been resolved into
 *       its {@code virtualServers} ({@link DirectorSets}) before, and is refused otherwise
 *   <li>{@code spec.poolName} and each virtual server's {@code owner} say where the spec came from
 *       and are not the engine's concern
 * </ul>
 *
 * <p>Every other field maps, or is refused by name when the engine cannot do what it says (see the
 * part mappers). Problems are collected over the whole spec and thrown together, each with its path
 * in the resource.
 */
public final class DirectorSpecs {
  /** What the schema's {@code Patterns.HOST} admits that is not an address literal. */
  private static final Pattern HOST_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,253}");

  private DirectorSpecs() {}

  /**
   * {@code director} as the engine's config, with the names the status needs.
   *
   * @param secrets reads the VRRP password's Secret
   * @param interfaces finds the interface of a selector given by CIDR; {@link
   *     InterfaceResolver#NONE} where every selector names its interface
   * @throws DirectorSpecException with every problem of the spec
   * @throws io.kubelvs.agent.netlink.NetlinkException when {@code interfaces} cannot read the
   *     node's interfaces: no fault of the spec, so the caller should retry rather than report it
   *     invalid
   */
  public static MappedDirector map(
      Director director, SecretReader secrets, InterfaceResolver interfaces)
      throws DirectorSpecException {
    return map(director, SetOrigins.NONE, secrets, interfaces);
  }

  /**
   * {@link #map} of a Director that {@link DirectorSets} resolved: a problem in a server that came
   * from a VirtualServerSet is reported at the set's path, as {@code origins} say.
   */
  public static MappedDirector map(
      Director director, SetOrigins origins, SecretReader secrets, InterfaceResolver interfaces)
      throws DirectorSpecException {
    String name =
        director.getMetadata() == null || director.getMetadata().getName() == null
            ? "(unnamed)"
            : director.getMetadata().getName();
    SpecProblems problems = new SpecProblems();
    DirectorSpec spec = director.getSpec();
    if (spec == null) {
      problems.add("spec", "missing");
      throw new DirectorSpecException(name, problems.all());
    }
    Optional<String> nodeName = problems.require("spec.nodeName", spec.nodeName());
    nodeName
        .filter(node -> director.getMetadata() != null && director.getMetadata().getName() != null)
        .filter(node -> !node.equals(name))
        .ifPresent(
            node ->
                problems.add(
                    "spec.nodeName",
                    "\""
                        + node
                        + "\" is not the Director's name \""
                        + name
                        + "\"; a Director is"
                        + " named after its node"));
    EmailNotification email = spec.notification() == null ? null : spec.notification().email();
    DirectorVrrp.Result vrrp =
        DirectorVrrp.map(
            orEmpty(spec.vrrpInstances()), email != null, secrets, interfaces, problems);
    unresolvedSets(orEmpty(spec.vrrpInstances()), problems);
    DirectorVirtualServers.Result virtualServers =
        DirectorVirtualServers.map(
            orEmpty(spec.vrrpInstances()), orEmpty(spec.virtualServers()), origins, problems);
    GlobalDefs global = globalDefs(nodeName.orElse(name), email, problems);
    if (problems.count() > 0) {
      throw new DirectorSpecException(name, problems.all());
    }
    NodeConfig config =
        new NodeConfig(
            global,
            vrrp.vrrp(),
            virtualServers.virtualServers(),
            // A Director has no notify scripts: they would run commands the operator chose on
            // every director node.
            new Notifications(global.routerId(), true, Map.of(), virtualServers.alerts()));
    return new MappedDirector(config, virtualServers.idsByName(), vrrp.interfaces());
  }

  /** {@link #map}'s config alone. */
  public static NodeConfig toNodeConfig(
      Director director, SecretReader secrets, InterfaceResolver interfaces)
      throws DirectorSpecException {
    return map(director, secrets, interfaces).config();
  }

  /**
   * A set still named is one the caller did not resolve: its servers would silently not run, so the
   * spec is refused rather than run without them.
   */
  private static void unresolvedSets(List<VrrpInstance> instances, SpecProblems problems) {
    for (int i = 0; i < instances.size(); i++) {
      VrrpInstance instance = instances.get(i);
      if (instance != null && instance.virtualServerSet() != null) {
        problems.add(
            SpecProblems.entry("spec.vrrpInstances", i, instance.name()) + ".virtualServerSet",
            "VirtualServerSet "
                + instance.virtualServerSet().name()
                + " was not resolved into the instance's virtualServers");
      }
    }
  }

  /** The node as keepalived's global_defs would name it, and where its mail goes. */
  private static GlobalDefs globalDefs(
      String nodeName, EmailNotification email, SpecProblems problems) {
    // keepalived's set_default_email_from: keepalived@ the host name.
    String defaultFrom = "keepalived@" + nodeName;
    if (email == null) {
      return new GlobalDefs(
          nodeName,
          List.of(),
          defaultFrom,
          Optional.empty(),
          GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT);
    }
    String path = "spec.notification.email";
    List<String> to = email.to() == null ? List.of() : email.to();
    if (to.isEmpty()) {
      problems.add(path + ".to", "missing: mail needs a recipient");
    }
    for (int i = 0; i < to.size(); i++) {
      if (to.get(i) == null || to.get(i).isBlank()) {
        problems.add(path + ".to[" + i + "]", "missing");
      }
    }
    String from = problems.require(path + ".from", email.from()).orElse(defaultFrom);
    int port = email.smtpPort() == null ? GlobalDefs.SMTP_PORT : email.smtpPort();
    if (port < 1 || port > 65535) {
      problems.add(path + ".smtpPort", "must be 1-65535, got " + port);
    }
    Optional<InetSocketAddress> server =
        problems
            .require(path + ".smtpServer", email.smtpServer())
            .flatMap(host -> smtpServer(path + ".smtpServer", host, port, problems));
    Duration timeout =
        problems
            .read(
                path + ".connectTimeout",
                () ->
                    ApiValues.duration(
                        email.connectTimeout(), GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT))
            .orElse(GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT);
    if (timeout.isZero()) {
      problems.add(path + ".connectTimeout", "must be more than 0s");
    }
    return new GlobalDefs(
        nodeName,
        to.stream().filter(t -> t != null && !t.isBlank()).toList(),
        from,
        server,
        timeout);
  }

  /**
   * An address, or a host name kept unresolved: the mail thread looks it up when a mail goes, so
   * reading a spec never waits for DNS.
   */
  private static Optional<InetSocketAddress> smtpServer(
      String path, String host, int port, SpecProblems problems) {
    if (port < 1 || port > 65535) {
      return Optional.empty();
    }
    try {
      return Optional.of(new InetSocketAddress(ApiValues.address(host), port));
    } catch (IllegalArgumentException notAnAddress) {
      if (HOST_NAME.matcher(host).matches() && !host.matches("[0-9.]+")) {
        return Optional.of(InetSocketAddress.createUnresolved(host, port));
      }
      problems.add(path, "\"" + host + "\" is neither an IP address nor a host name");
      return Optional.empty();
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
