package io.kubelvs.agent.kube;

import io.kubelvs.agent.check.CheckConfigProblem;
import io.kubelvs.agent.check.CheckConfigValidator;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.Notifications;
import io.kubelvs.agent.config.SmtpAlerts;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.DesiredService;
import io.kubelvs.agent.ipvs.Destination;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Director's virtual servers as the engine's {@link VirtualServerConfig}s: the IPVS service, the
 * forwarding method, and the real servers with their checks, quorum and sorry server. The engine
 * knows each by its id, {@code service.key().toString()}; the names of the spec map to those ids
 * for the status. They are each VRRP instance's {@code virtualServers}, in instance order, then the
 * spec's own {@code virtualServers} (those on no VIP of an instance, such as firewall marks). An
 * instance's list holds, after its own, those of the VirtualServerSet it named ({@link
 * DirectorSets}); a problem in one of those is reported at the set's path ({@link SetOrigins}).
 *
 * <p>Unset fields take the schema's (and keepalived's) defaults: protocol TCP, weight 1, quorum 1,
 * hysteresis 0, persistence 6m when {@code persistence} is given. A real server or sorry server
 * without {@code forwarding} is forwarded as the others are, NAT when none says. The scheduler
 * flags, the persistence, TUN encapsulation and one-packet scheduling become the service's flags;
 * {@code owner} is the operator's bookkeeping and not the engine's concern.
 *
 * <p>What the schema cannot say is refused here: two virtual servers with one name or one IPVS
 * service, wherever in the spec or its sets each is, an address service whose {@code vip} its VRRP
 * instance does not hold, real servers of one virtual server forwarded differently (the engine,
 * like keepalived's lb_kind, forwards all alike), GUE/GRE tunnels and connection thresholds (not
 * supported by the engine yet), and what the IPVS core and the checker core refuse (a DR real
 * server on another port, a hysteresis not below the quorum, ...), each at its field. A virtual
 * server in the spec's own list is programmed whatever its address, as keepalived programs a
 * virtual_server whose address is on the node by other means.
 */
final class DirectorVirtualServers {
  private static final String INSTANCES = "spec.vrrpInstances";
  private static final String PATH = "spec.virtualServers";

  private final SpecProblems problems;
  private final List<VirtualServerConfig> configs = new ArrayList<>();
  private final Map<String, String> idsByName = new LinkedHashMap<>();
  private final Map<String, Notifications.VirtualServerAlerts> alerts = new HashMap<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<ServiceKey, String> services = new HashMap<>();

  /**
   * @param idsByName the engine's id of each virtual server, by its name in the spec, in spec order
   * @param alerts the alerts of each virtual server, by id
   */
  record Result(
      List<VirtualServerConfig> virtualServers,
      Map<String, String> idsByName,
      Map<String, Notifications.VirtualServerAlerts> alerts) {}

  /**
   * The VRRP instance a virtual server is nested in.
   *
   * @param vips the instance's VIPs that parse; DirectorVrrp reports those that do not
   */
  private record Parent(String name, Set<InetAddress> vips) {}

  private DirectorVirtualServers(SpecProblems problems) {
    this.problems = problems;
  }

  /**
   * @param instances the spec's VRRP instances, each with the virtual servers of its VIPs
   * @param virtualServers the spec's own virtual servers, on no VIP of an instance
   * @param origins which of an instance's servers came from a VirtualServerSet, to name its path
   */
  static Result map(
      List<VrrpInstance> instances,
      List<VirtualServer> virtualServers,
      SetOrigins origins,
      SpecProblems problems) {
    DirectorVirtualServers mapper = new DirectorVirtualServers(problems);
    for (int i = 0; i < instances.size(); i++) {
      VrrpInstance instance = instances.get(i);
      // A missing instance is DirectorVrrp's to report.
      if (instance != null && instance.virtualServers() != null) {
        Parent parent = new Parent(instance.name(), vips(instance));
        String list = SpecProblems.entry(INSTANCES, i, instance.name()) + ".virtualServers";
        for (SetOrigins.Part part : origins.parts(instance, list)) {
          mapper.addAll(part.path(), part.virtualServers(), Optional.of(parent));
        }
      }
    }
    mapper.addAll(PATH, virtualServers, Optional.empty());
    return new Result(mapper.configs, mapper.idsByName, mapper.alerts);
  }

  private static Set<InetAddress> vips(VrrpInstance instance) {
    Set<InetAddress> vips = new HashSet<>();
    for (String text : instance.vips() == null ? List.<String>of() : instance.vips()) {
      try {
        if (text != null) {
          vips.add(ApiValues.cidr(text).address());
        }
      } catch (IllegalArgumentException unreadable) {
        // DirectorVrrp reports it at the instance's vips.
      }
    }
    return vips;
  }

  /** The virtual servers of the list at {@code list}, checked against all added before. */
  private void addAll(String list, List<VirtualServer> virtualServers, Optional<Parent> parent) {
    for (int i = 0; i < virtualServers.size(); i++) {
      VirtualServer vs = virtualServers.get(i);
      String path = SpecProblems.entry(list, i, vs == null ? null : vs.name());
      if (vs == null) {
        problems.add(path, "missing");
        continue;
      }
      if (vs.name() == null || vs.name().isBlank()) {
        problems.add(path + ".name", "missing");
      } else {
        String first = names.putIfAbsent(vs.name(), list + "[" + i + "]");
        if (first != null) {
          problems.add(
              list + "[" + i + "].name", "\"" + vs.name() + "\" is already the name of " + first);
          continue;
        }
      }
      Optional<VirtualServerConfig> config = virtualServer(path, vs, parent);
      if (config.isEmpty()) {
        continue;
      }
      ServiceKey key = config.get().service().key();
      String other = services.putIfAbsent(key, path);
      if (other != null) {
        problems.add(path, "IPVS service " + key + " is also " + other);
        continue;
      }
      configs.add(config.get());
      idsByName.put(vs.name(), config.get().checks().id());
      alerts.put(config.get().checks().id(), alerts(config.get()));
    }
  }

  /**
   * A Director has no per-object smtp_alert: e-mail is on for the whole node or off, so each
   * virtual and real server takes keepalived's default (virtual servers off, real servers on; real
   * servers mail only where the spec gives a relay and recipients).
   */
  private static Notifications.VirtualServerAlerts alerts(VirtualServerConfig config) {
    Map<InetSocketAddress, Notifications.RealServerAlerts> realServers = new HashMap<>();
    for (RealServerCheck rs : config.checks().realServers()) {
      realServers.put(
          rs.realServer(),
          new Notifications.RealServerAlerts(
              SmtpAlerts.UNSET.realServer(Optional.empty()), Optional.empty(), Optional.empty()));
    }
    return new Notifications.VirtualServerAlerts(
        SmtpAlerts.UNSET.virtualServer(Optional.empty()),
        Optional.empty(),
        Optional.empty(),
        realServers);
  }

  private Optional<VirtualServerConfig> virtualServer(
      String path, VirtualServer vs, Optional<Parent> parent) {
    int before = problems.count();
    Optional<ServiceKey> key = ServiceKeys.of(path, vs, problems);
    key.ifPresent(k -> parent.ifPresent(p -> checkVip(path, p, k)));
    Optional<IpvsService> service = key.flatMap(k -> ServiceKeys.service(path, vs, k, problems));
    ServiceKeys.checkTunnel(path, vs, problems);
    List<RealServerCheck> realServers = new ArrayList<>();
    List<Optional<ForwardingMethod>> forwardings = new ArrayList<>();
    List<RealServer> written = vs.realServers() == null ? List.of() : vs.realServers();
    Map<InetSocketAddress, Integer> seen = new HashMap<>();
    for (int j = 0; j < written.size(); j++) {
      String at = path + ".realServers[" + j + "]";
      RealServer rs = written.get(j);
      if (rs == null) {
        problems.add(at, "missing");
        continue;
      }
      realServer(at, rs, key)
          .ifPresent(
              server -> {
                Integer first = seen.putIfAbsent(server.realServer(), realServers.size());
                if (first != null) {
                  problems.add(at, "same address and port as realServers[" + first + "]");
                }
                realServers.add(server);
                forwardings.add(Optional.ofNullable(rs.forwarding()));
              });
    }
    Forwarding forwarding = forwarding(path, vs, forwardings);
    Optional<SorryServer> sorry = sorryServer(path, vs);
    Optional<DirectorHealthChecks.Checker> checker =
        vs.healthCheck() == null
            ? Optional.empty()
            : DirectorHealthChecks.map(path + ".healthCheck", vs.healthCheck(), problems);
    boolean inhibit = Boolean.TRUE.equals(vs.inhibitOnFailure());
    List<RealServerCheck> checked =
        realServers.stream()
            .map(rs -> checker.map(c -> c.applyTo(rs)).orElse(rs).withInhibitOnFailure(inhibit))
            .toList();
    int quorum = bounded(path + ".quorum", vs.quorum(), 1, VirtualServerChecks.DEFAULT_QUORUM);
    int hysteresis =
        bounded(path + ".hysteresis", vs.hysteresis(), 0, VirtualServerChecks.DEFAULT_HYSTERESIS);
    if (problems.count() > before || service.isEmpty()) {
      return Optional.empty();
    }
    VirtualServerChecks checks =
        new VirtualServerChecks(
            service.get().key().toString(),
            checked,
            quorum,
            hysteresis,
            sorry,
            Boolean.TRUE.equals(vs.omega()));
    checkEngineRules(path, vs, service.get(), forwarding, checks, checker);
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(new VirtualServerConfig(service.get(), forwarding, checks));
  }

  /** An address service nested in an instance must be on one of the instance's VIPs. */
  private void checkVip(String path, Parent parent, ServiceKey key) {
    if (key instanceof ServiceKey.Address address && !parent.vips().contains(address.address())) {
      problems.add(
          path + ".vip",
          address.address().getHostAddress()
              + " is not a VIP of its VRRP instance"
              + (parent.name() == null ? "" : " " + parent.name())
              + ", so this node would never receive its traffic by VRRP");
    }
  }

  private Optional<RealServerCheck> realServer(
      String path, RealServer rs, Optional<ServiceKey> key) {
    int before = problems.count();
    Optional<InetAddress> address =
        problems
            .require(path + ".address", rs.address())
            .flatMap(text -> problems.read(path + ".address", () -> ApiValues.address(text)));
    int port = 0;
    if (rs.port() != null) {
      port = rs.port();
    } else if (key.isPresent() && key.get() instanceof ServiceKey.Address) {
      // A fwmark service's real server may keep the packet's port (0); an address service's
      // real server port is resolved by the operator.
      problems.add(path + ".port", "missing");
    }
    if (rs.upperThreshold() != null && rs.upperThreshold() != 0) {
      problems.add(path + ".upperThreshold", "is not supported yet (keepalived uthreshold)");
    }
    if (rs.lowerThreshold() != null && rs.lowerThreshold() != 0) {
      problems.add(path + ".lowerThreshold", "is not supported yet (keepalived lthreshold)");
    }
    if (problems.count() > before || address.isEmpty()) {
      return Optional.empty();
    }
    int chosenPort = port;
    return problems.read(
        path + ".port",
        () ->
            RealServerCheck.unchecked(
                new InetSocketAddress(address.get(), chosenPort),
                Objects.requireNonNullElse(rs.weight(), RealServerCheck.DEFAULT_WEIGHT)));
  }

  /**
   * The one forwarding method of the virtual server: what its real servers and sorry server set,
   * when they agree; NAT (the API's and keepalived's default) when none sets one.
   */
  private Forwarding forwarding(
      String path, VirtualServer vs, List<Optional<ForwardingMethod>> realServers) {
    ForwardingMethod chosen = null;
    String chosenBy = null;
    for (int j = 0; j < realServers.size(); j++) {
      ForwardingMethod method = realServers.get(j).orElse(null);
      String at = path + ".realServers[" + j + "].forwarding";
      if (method == null) {
        continue;
      }
      if (chosen == null) {
        chosen = method;
        chosenBy = at;
      } else if (method != chosen) {
        problems.add(
            at,
            method
                + " differs from "
                + chosenBy
                + " "
                + chosen
                + "; the engine forwards to every real server of a virtual server alike"
                + " (keepalived lb_kind)");
      }
    }
    ForwardingMethod sorry = vs.sorryServer() == null ? null : vs.sorryServer().forwarding();
    if (sorry != null && chosen != null && sorry != chosen) {
      problems.add(
          path + ".sorryServer.forwarding",
          sorry
              + " differs from "
              + chosenBy
              + " "
              + chosen
              + "; the engine forwards to the sorry server as to the real servers");
    }
    ForwardingMethod method =
        chosen != null ? chosen : sorry != null ? sorry : ForwardingMethod.NAT;
    return Forwarding.valueOf(method.name());
  }

  private Optional<SorryServer> sorryServer(String path, VirtualServer vs) {
    if (vs.sorryServer() == null) {
      return Optional.empty();
    }
    String at = path + ".sorryServer";
    Optional<InetAddress> address =
        problems
            .require(at + ".address", vs.sorryServer().address())
            .flatMap(text -> problems.read(at + ".address", () -> ApiValues.address(text)));
    Optional<Integer> port = problems.require(at + ".port", vs.sorryServer().port());
    if (address.isEmpty() || port.isEmpty()) {
      return Optional.empty();
    }
    return problems
        .read(at + ".port", () -> new InetSocketAddress(address.get(), port.get()))
        .map(sorry -> new SorryServer(sorry, Boolean.TRUE.equals(vs.sorryServer().inhibit())));
  }

  private int bounded(String path, Long value, int min, int unset) {
    if (value == null) {
      return unset;
    }
    if (value < min || value > Integer.MAX_VALUE) {
      problems.add(path, "must be " + min + " to " + Integer.MAX_VALUE + ", got " + value);
      return unset;
    }
    return value.intValue();
  }

  /**
   * What the IPVS core (each destination against the service) and the checker core refuse, found by
   * their own rules and reported at the spec's fields, each once.
   */
  private void checkEngineRules(
      String path,
      VirtualServer vs,
      IpvsService service,
      Forwarding forwarding,
      VirtualServerChecks checks,
      Optional<DirectorHealthChecks.Checker> checker) {
    problems.read(path, () -> new DesiredService(service, List.of()));
    for (int j = 0; j < checks.realServers().size(); j++) {
      InetSocketAddress rs = checks.realServers().get(j).realServer();
      problems.read(
          path + ".realServers[" + j + "]",
          () ->
              DesiredService.of(
                  service, Destination.of(rs.getAddress(), rs.getPort(), forwarding, 1)));
    }
    checks
        .sorryServer()
        .ifPresent(
            sorry ->
                problems.read(
                    path + ".sorryServer",
                    () ->
                        DesiredService.of(
                            service,
                            Destination.of(
                                sorry.address().getAddress(),
                                sorry.address().getPort(),
                                forwarding,
                                1))));
    // Every real server carries the one health check: its problems are reported once.
    Set<DirectorSpecProblem> reported = new LinkedHashSet<>();
    String type = checker.map(DirectorHealthChecks.Checker::type).orElse("");
    for (CheckConfigProblem problem : CheckConfigValidator.validate(List.of(checks))) {
      reported.add(
          new DirectorSpecProblem(
              DirectorHealthChecks.specPath(path, type, problem.field()), problem.message()));
    }
    reported.forEach(problem -> problems.add(problem.path(), problem.message()));
  }
}
