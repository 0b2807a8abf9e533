package io.kubelvs.agent.config;

import io.kubelvs.agent.check.CheckMethod;
import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.DnsCheck;
import io.kubelvs.agent.check.HttpGetCheck;
import io.kubelvs.agent.check.HttpVersion;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.PingCheck;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.StatusCodeRange;
import io.kubelvs.agent.check.TcpCheck;
import io.kubelvs.agent.check.UdpCheck;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.ipvs.AddressFamily;
import io.kubelvs.agent.ipvs.DesiredService;
import io.kubelvs.agent.ipvs.Destination;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceFlags;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads keepalived's LVS configuration - {@code virtual_server} blocks with their {@code
 * real_server}s and checkers - into {@link VirtualServerConfig}s, with keepalived's keywords and
 * defaults (keepalived.conf(5)). Every problem of the whole file is collected and reported at once,
 * each at the file and line of the statement it concerns; a keyword this reader does not know is
 * such a problem, never skipped.
 *
 * <p>The check timing keywords (delay_loop, connect_timeout, retry, delay_before_retry, warmup) may
 * be written at the virtual_server, real_server and checker level, the innermost winning, as in
 * keepalived 2. nb_get_retry is HTTP_GET's and SSL_GET's old name for retry.
 *
 * <p>smtp_alert (virtual and real server) and the real servers' notify_up and notify_down scripts
 * are read for {@link Notifications}. {@code virtual_server group NAME} programs each member of the
 * virtual_server_group as a service of its own, checked once ({@link
 * VirtualServerConfig#groupServices()}). Not supported yet, and refused by name: a group mixing
 * fwmark and addresses, IPv6 address ranges, several checkers on one real server, several url
 * blocks in one HTTP_GET, quorum_up/quorum_down scripts, and connection thresholds.
 */
public final class KeepalivedVirtualServers {
  private static final Duration MAX_TIME = Duration.ofDays(1);
  private static final Duration MIN_TIME = Duration.ofMillis(1);

  /** The schedulers of the kernel's ip_vs_*.c modules, as lb_algo names them. */
  private static final Set<String> SCHEDULERS =
      Set.of(
          "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh",
          "twos");

  private static final Set<String> CHECKERS =
      Set.of(
          "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK");

  private final ConfProblems problems = new ConfProblems();
  private final Map<ServiceKey, ConfNode> services = new HashMap<>();
  private final Map<String, List<GroupMember>> groups = new HashMap<>();
  private final Map<String, ConfNotify.VirtualServerAlertsDraft> alerts = new LinkedHashMap<>();

  private KeepalivedVirtualServers() {}

  /**
   * The virtual servers and what they say about notifications, the latter by virtual server id and
   * still to be resolved against global_defs.
   */
  record Parts(
      List<VirtualServerConfig> virtualServers,
      Map<String, ConfNotify.VirtualServerAlertsDraft> alerts) {}

  /**
   * The virtual servers of {@code conf}, in file order.
   *
   * @throws KeepalivedConfException with every problem found, each naming file, line and keyword
   */
  public static List<VirtualServerConfig> read(KeepalivedConf conf) throws KeepalivedConfException {
    return readParts(conf).virtualServers();
  }

  /** The virtual servers of {@code conf} with their notification settings. */
  static Parts readParts(KeepalivedConf conf) throws KeepalivedConfException {
    KeepalivedVirtualServers reader = new KeepalivedVirtualServers();
    List<VirtualServerConfig> virtualServers = new ArrayList<>();
    for (ConfNode node : conf.statements("virtual_server_group")) {
      reader.group(node);
    }
    for (ConfNode node : conf.statements("virtual_server")) {
      reader.virtualServer(node).ifPresent(virtualServers::add);
    }
    reader.problems.throwIfAny();
    return new Parts(List.copyOf(virtualServers), reader.alerts);
  }

  private void attempt(ConfProblems.Step step) {
    problems.attempt(step);
  }

  private boolean flag(ConfNode node) {
    return problems.flag(node);
  }

  // ---- virtual_server_group ---------------------------------------------------------------------

  /** One line of a virtual_server_group: an address and port, or a firewall mark. */
  private record GroupMember(ConfNode line, Optional<InetAddress> address, int port, long fwmark) {
    ServiceKey key(IpvsProtocol protocol) {
      return address
          .<ServiceKey>map(a -> new ServiceKey.Address(protocol, a, port))
          .orElseGet(() -> new ServiceKey.Fwmark(AddressFamily.INET, fwmark));
    }
  }

  /**
   * {@code virtual_server_group NAME { ADDRESS PORT | ADDRESS-LAST PORT | fwmark MARK ... }}: the
   * range form counts the last IPv4 byte up to LAST, both ends included, as keepalived does.
   */
  private void group(ConfNode node) {
    if (node.args().size() != 1) {
      problems.add(node.problem("virtual_server_group: expected one name"));
      return;
    }
    String name = node.args().get(0);
    List<GroupMember> members = new ArrayList<>();
    for (ConfNode line : node.children()) {
      attempt(() -> members.addAll(groupLine(line)));
    }
    if (members.isEmpty()) {
      problems.add(node.problem("virtual_server_group " + name + " has no address or fwmark"));
    } else if (members.stream().anyMatch(m -> m.address().isEmpty())
        && members.stream().anyMatch(m -> m.address().isPresent())) {
      problems.add(
          node.problem(
              "virtual_server_group "
                  + name
                  + " mixes fwmark and addresses: not supported yet (the destinations of a fwmark"
                  + " service take no port)"));
    }
    if (groups.putIfAbsent(name, members) != null) {
      problems.add(node.problem("virtual_server_group " + name + " is defined twice"));
    }
  }

  private static List<GroupMember> groupLine(ConfNode line) throws KeepalivedConfException {
    List<String> words = line.words();
    if (words.size() == 2 && words.get(0).equals("fwmark")) {
      return List.of(
          new GroupMember(
              line, Optional.empty(), 0, parseLong(line, "fwmark", words.get(1), 1, 0xFFFF_FFFFL)));
    }
    if (words.size() != 2) {
      throw line.error(
          "virtual_server_group: expected ADDRESS PORT, ADDRESS-LAST PORT or fwmark MARK, got "
              + String.join(" ", words));
    }
    int port = port(line, words.get(1), true);
    String text = words.get(0);
    int dash = text.indexOf('-');
    if (dash < 0) {
      return List.of(new GroupMember(line, Optional.of(address(line, text)), port, 0));
    }
    InetAddress first = address(line, text.substring(0, dash));
    if (!(first instanceof Inet4Address)) {
      throw line.error("virtual_server_group: address ranges are supported for IPv4 only: " + text);
    }
    byte[] bytes = first.getAddress();
    int from = Byte.toUnsignedInt(bytes[3]);
    int to =
        (int)
            parseLong(line, "virtual_server_group range end", text.substring(dash + 1), from, 255);
    List<GroupMember> members = new ArrayList<>();
    for (int last = from; last <= to; last++) {
      bytes[3] = (byte) last;
      try {
        members.add(new GroupMember(line, Optional.of(InetAddress.getByAddress(bytes)), port, 0));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("four bytes are an IPv4 address", e);
      }
    }
    return members;
  }

  /** The keys of group {@code name} for {@code protocol}; refused when there is no such group. */
  private List<ServiceKey> groupKeys(ConfNode node, IpvsProtocol protocol)
      throws KeepalivedConfException {
    String name = node.args().get(1);
    List<GroupMember> members = groups.get(name);
    if (members == null) {
      throw node.error("virtual_server group " + name + ": no virtual_server_group " + name);
    }
    if (members.isEmpty()) {
      throw node.error("virtual_server group " + name + ": the group has no usable member");
    }
    return members.stream().map(m -> m.key(protocol)).toList();
  }

  // ---- virtual_server ---------------------------------------------------------------------------

  /** What a virtual_server block says, filled keyword by keyword. */
  private static final class VirtualServerDraft {
    ServiceKey key;
    List<ServiceKey> groupKeys = List.of();
    String scheduler = "wlc";
    Forwarding forwarding = Forwarding.NAT;
    IpvsProtocol protocol = IpvsProtocol.TCP;
    int persistenceSeconds;
    Optional<InetAddress> granularity = Optional.empty();
    boolean onePacket;
    Optional<InetSocketAddress> sorryServer = Optional.empty();
    boolean sorryInhibit;
    int quorum = VirtualServerChecks.DEFAULT_QUORUM;
    int hysteresis = VirtualServerChecks.DEFAULT_HYSTERESIS;
    boolean alpha;
    boolean omega;
    boolean inhibitOnFailure;
    Optional<String> virtualHost = Optional.empty();
    TimingDraft timing = TimingDraft.NONE;
    final List<ConfNode> realServers = new ArrayList<>();
    Optional<Boolean> smtpAlert = Optional.empty();
    Optional<NotifyScript> quorumUp = Optional.empty();
    Optional<NotifyScript> quorumDown = Optional.empty();
    final Map<InetSocketAddress, ConfNotify.RealServerAlertsDraft> realServerAlerts =
        new HashMap<>();
  }

  private Optional<VirtualServerConfig> virtualServer(ConfNode node) {
    int before = problems.count();
    VirtualServerDraft vs = new VirtualServerDraft();
    // The protocol decides the key; it is read before the address.
    attempt(
        () -> {
          Optional<ConfNode> protocol = node.optionalChild("protocol");
          if (protocol.isPresent()) {
            vs.protocol = protocol(protocol.get());
          }
        });
    if (node.args().size() == 2 && node.args().get(0).equals("group")) {
      attempt(
          () -> {
            List<ServiceKey> keys = groupKeys(node, vs.protocol);
            vs.key = keys.get(0);
            vs.groupKeys = keys.subList(1, keys.size());
          });
    } else {
      attempt(() -> vs.key = serviceKey(node, vs.protocol));
    }
    for (ConfNode child : node.children()) {
      switch (child.keyword()) {
        case "protocol" -> {
          // read first, above
        }
        case "real_server" -> vs.realServers.add(child);
        case "lb_algo", "lvs_sched" -> attempt(() -> vs.scheduler = scheduler(child));
        case "lb_kind", "lvs_method" -> attempt(() -> vs.forwarding = forwarding(child));
        case "persistence_timeout" ->
            attempt(
                () ->
                    vs.persistenceSeconds =
                        child.args().isEmpty() ? 360 : child.intArg(1, Integer.MAX_VALUE));
        case "persistence_granularity" -> attempt(() -> vs.granularity = Optional.of(mask(child)));
        case "ops" -> vs.onePacket = flag(child);
        case "sorry_server" -> attempt(() -> vs.sorryServer = Optional.of(endpoint(child)));
        case "sorry_server_inhibit" -> vs.sorryInhibit = flag(child);
        case "quorum" -> attempt(() -> vs.quorum = child.intArg(1, Integer.MAX_VALUE));
        case "hysteresis" -> attempt(() -> vs.hysteresis = child.intArg(0, Integer.MAX_VALUE));
        case "alpha" -> vs.alpha = flag(child);
        case "omega" -> vs.omega = flag(child);
        case "inhibit_on_failure" -> vs.inhibitOnFailure = flag(child);
        case "virtualhost" -> attempt(() -> vs.virtualHost = Optional.of(child.singleArg()));
        case "quorum_up" -> attempt(() -> vs.quorumUp = Optional.of(ConfNotify.script(child)));
        case "quorum_down" -> attempt(() -> vs.quorumDown = Optional.of(ConfNotify.script(child)));
        case "smtp_alert" -> attempt(() -> vs.smtpAlert = Optional.of(ConfNotify.bool(child)));
        default -> {
          if (!timingKeyword(child, vs.timing, t -> vs.timing = t)) {
            problems.add(child.unknownKeyword());
          }
        }
      }
    }
    if (vs.key == null) {
      // Read anyway, so that their own problems are reported with this one.
      vs.realServers.forEach(child -> realServer(child, vs));
      return Optional.empty();
    }
    for (ServiceKey key : concat(vs.key, vs.groupKeys)) {
      ConfNode first = services.putIfAbsent(key, node);
      if (first != null) {
        problems.add(
            node.problem(
                "virtual_server " + key + " is defined twice (first at " + first.position() + ")"));
      }
    }
    if (vs.onePacket && vs.protocol != IpvsProtocol.UDP) {
      problems.add(node.problem("ops (one-packet scheduling) needs protocol UDP"));
    }
    List<RealServerCheck> realServers = new ArrayList<>();
    Map<InetSocketAddress, ConfNode> seen = new HashMap<>();
    for (ConfNode child : vs.realServers) {
      realServer(child, vs)
          .ifPresent(
              rs -> {
                ConfNode firstServer = seen.putIfAbsent(rs.realServer(), child);
                if (firstServer != null) {
                  problems.add(
                      child.problem(
                          "real_server "
                              + String.join(" ", child.args())
                              + " is given twice (first at "
                              + firstServer.position()
                              + ")"));
                } else {
                  realServers.add(rs);
                }
              });
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    int flags =
        (vs.persistenceSeconds > 0 ? ServiceFlags.PERSISTENT : 0)
            | (vs.onePacket ? ServiceFlags.ONE_PACKET : 0);
    int netmask =
        vs.granularity.map(KeepalivedVirtualServers::netmask).orElse(defaultNetmask(vs.key));
    IpvsService service =
        new IpvsService(vs.key, vs.scheduler, flags, vs.persistenceSeconds, netmask);
    List<IpvsService> groupServices = new ArrayList<>();
    for (ServiceKey key : vs.groupKeys) {
      groupServices.add(
          new IpvsService(
              key,
              vs.scheduler,
              flags,
              vs.persistenceSeconds,
              vs.granularity.map(KeepalivedVirtualServers::netmask).orElse(defaultNetmask(key))));
    }
    VirtualServerChecks checks =
        new VirtualServerChecks(
            vs.key.toString(),
            realServers,
            vs.quorum,
            vs.hysteresis,
            vs.sorryServer.map(address -> new SorryServer(address, vs.sorryInhibit)),
            vs.omega);
    // The IPVS core's own rules for a service and its destinations (DR and TUN keep the port, no
    // destination twice, ...) are checked here, so that the file is refused at its line rather
    // than the kernel table later.
    List<Destination> destinations = new ArrayList<>();
    realServers.forEach(
        rs ->
            destinations.add(
                Destination.of(
                    rs.realServer().getAddress(), rs.realServer().getPort(), vs.forwarding, 1)));
    vs.sorryServer
        .filter(sorry -> !seen.containsKey(sorry))
        .ifPresent(
            sorry ->
                destinations.add(
                    Destination.of(sorry.getAddress(), sorry.getPort(), vs.forwarding, 1)));
    try {
      new DesiredService(service, destinations);
      for (IpvsService member : groupServices) {
        new DesiredService(member, destinations);
      }
    } catch (IllegalArgumentException e) {
      problems.add(node.problem(e.getMessage()));
      return Optional.empty();
    }
    alerts.put(
        vs.key.toString(),
        new ConfNotify.VirtualServerAlertsDraft(
            vs.smtpAlert, vs.quorumUp, vs.quorumDown, vs.realServerAlerts));
    return Optional.of(new VirtualServerConfig(service, vs.forwarding, checks, groupServices));
  }

  private static ServiceKey serviceKey(ConfNode node, IpvsProtocol protocol)
      throws KeepalivedConfException {
    List<String> args = node.args();
    if (args.size() == 2 && args.get(0).equals("fwmark")) {
      long mark = parseLong(node, "fwmark", args.get(1), 1, 0xFFFF_FFFFL);
      return new ServiceKey.Fwmark(AddressFamily.INET, mark);
    }
    if (args.size() != 2) {
      throw node.error(
          "virtual_server: expected ADDRESS PORT or fwmark MARK, got " + String.join(" ", args));
    }
    return new ServiceKey.Address(
        protocol, address(node, args.get(0)), port(node, args.get(1), true));
  }

  private static IpvsProtocol protocol(ConfNode node) throws KeepalivedConfException {
    return switch (node.singleArg().toUpperCase(Locale.ROOT)) {
      case "TCP" -> IpvsProtocol.TCP;
      case "UDP" -> IpvsProtocol.UDP;
      case "SCTP" -> IpvsProtocol.SCTP;
      default ->
          throw node.error("protocol: expected TCP, UDP or SCTP, got '" + node.singleArg() + "'");
    };
  }

  private static String scheduler(ConfNode node) throws KeepalivedConfException {
    String name = node.singleArg();
    if (!SCHEDULERS.contains(name)) {
      throw node.error(
          node.keyword()
              + ": unknown scheduler '"
              + name
              + "' (one of "
              + sorted(SCHEDULERS)
              + ")");
    }
    return name;
  }

  private static Forwarding forwarding(ConfNode node) throws KeepalivedConfException {
    String kind = node.singleArg().toUpperCase(Locale.ROOT);
    return switch (kind) {
      case "NAT" -> Forwarding.NAT;
      case "DR" -> Forwarding.DR;
      case "TUN" -> Forwarding.TUN;
      default ->
          throw node.error(
              node.keyword() + ": expected NAT, DR or TUN, got '" + node.singleArg() + "'");
    };
  }

  // ---- real_server ------------------------------------------------------------------------------

  private Optional<RealServerCheck> realServer(ConfNode node, VirtualServerDraft vs) {
    int before = problems.count();
    InetSocketAddress[] address = new InetSocketAddress[1];
    attempt(() -> address[0] = realServerAddress(node));
    int[] weight = {RealServerCheck.DEFAULT_WEIGHT};
    boolean[] inhibit = {vs.inhibitOnFailure};
    TimingDraft[] timing = {vs.timing};
    List<ConfNode> checkers = new ArrayList<>();
    ConfNotify.RealServerAlertsDraft[] notify = {ConfNotify.RealServerAlertsDraft.UNSET};
    for (ConfNode child : node.children()) {
      switch (child.keyword()) {
        case "weight" -> attempt(() -> weight[0] = child.intArg(0, 65535));
        case "inhibit_on_failure" -> inhibit[0] = flag(child);
        case "smtp_alert", "notify_up", "notify_down" ->
            attempt(() -> notify[0] = notify[0].with(child));
        case "uthreshold", "lthreshold" ->
            problems.add(child.problem(child.keyword() + " is not supported yet"));
        default -> {
          if (CHECKERS.contains(child.keyword())) {
            checkers.add(child);
          } else if (!timingKeyword(child, timing[0], t -> timing[0] = t)) {
            problems.add(child.unknownKeyword());
          }
        }
      }
    }
    // Every checker block is read, so that its own problems are reported too.
    List<Optional<RealServerCheck>> checked = new ArrayList<>();
    RealServerCheck unchecked =
        address[0] == null ? null : RealServerCheck.unchecked(address[0], weight[0]);
    for (ConfNode checker : checkers) {
      checked.add(checker(checker, unchecked, vs, timing[0]));
    }
    if (checkers.size() > 1) {
      problems.add(
          checkers
              .get(1)
              .problem(
                  "more than one checker on one real_server is not supported yet (the first is "
                      + checkers.get(0).keyword()
                      + " at "
                      + checkers.get(0).position()
                      + ")"));
    }
    if (unchecked == null || problems.count() > before) {
      return Optional.empty();
    }
    RealServerCheck server = checked.isEmpty() ? unchecked : checked.get(0).orElseThrow();
    vs.realServerAlerts.putIfAbsent(server.realServer(), notify[0]);
    return Optional.of(server.withInhibitOnFailure(inhibit[0]));
  }

  private static InetSocketAddress realServerAddress(ConfNode node) throws KeepalivedConfException {
    List<String> args = node.args();
    if (args.isEmpty() || args.size() > 2) {
      throw node.error("real_server: expected ADDRESS [PORT], got " + String.join(" ", args));
    }
    InetAddress ip = address(node, args.get(0));
    // Without a port (fwmark services) the real server takes the packets' own port.
    int port = args.size() == 2 ? port(node, args.get(1), true) : 0;
    return new InetSocketAddress(ip, port);
  }

  // ---- checkers ---------------------------------------------------------------------------------

  private Optional<RealServerCheck> checker(
      ConfNode node, RealServerCheck server, VirtualServerDraft vs, TimingDraft inherited) {
    int before = problems.count();
    String type = node.keyword();
    boolean http = type.equals("HTTP_GET") || type.equals("SSL_GET");
    TimingDraft[] timing = {inherited};
    Endpoints endpoints = new Endpoints();
    CheckMethod[] method = {null};
    MethodDraft draft = new MethodDraft(vs.virtualHost);
    for (ConfNode child : node.children()) {
      switch (child.keyword()) {
        case "connect_ip" ->
            attempt(() -> endpoints.connectIp = Optional.of(address(child, child.singleArg())));
        case "connect_port" ->
            attempt(() -> endpoints.connectPort = OptionalInt.of(child.intArg(1, 65535)));
        case "bind_ip" ->
            attempt(() -> endpoints.bindIp = Optional.of(address(child, child.singleArg())));
        case "bind_port" ->
            attempt(() -> endpoints.bindPort = OptionalInt.of(child.intArg(1, 65535)));
        case "nb_get_retry" -> {
          if (http) {
            attempt(() -> timing[0] = timing[0].withRetries(child.intArg(0, 1_000_000)));
          } else {
            problems.add(child.unknownKeyword());
          }
        }
        default -> {
          if (!timingKeyword(child, timing[0], t -> timing[0] = t) && !draft.read(child, type)) {
            problems.add(child.unknownKeyword());
          }
        }
      }
    }
    attempt(() -> method[0] = draft.build(node, type, timing[0]));
    if (problems.count() > before || method[0] == null || server == null) {
      return Optional.empty();
    }
    CheckTiming defaults = CheckTiming.keepalivedDefaults(method[0]);
    CheckTiming resolved =
        new CheckTiming(
            timing[0].interval.orElse(defaults.interval()),
            timing[0].connectTimeout.orElse(defaults.connectTimeout()),
            timing[0].retries.orElse(defaults.retries()),
            timing[0].retryDelay.orElse(
                method[0] instanceof DnsCheck
                    ? timing[0].interval.orElse(defaults.retryDelay())
                    : defaults.retryDelay()),
            timing[0].warmup,
            vs.alpha);
    RealServerCheck checked = server.withCheck(method[0], resolved);
    if (endpoints.connectIp.isPresent() || endpoints.connectPort.isPresent()) {
      checked =
          checked.withConnect(
              endpoints.connectIp.orElse(server.realServer().getAddress()),
              endpoints.connectPort.orElse(server.realServer().getPort()));
    }
    if (endpoints.bindIp.isPresent() || endpoints.bindPort.isPresent()) {
      checked = checked.withBind(endpoints.bindIp, endpoints.bindPort);
    }
    return Optional.of(checked);
  }

  /** Where a checker connects to and from, if not the real server's address and any source. */
  private static final class Endpoints {
    Optional<InetAddress> connectIp = Optional.empty();
    OptionalInt connectPort = OptionalInt.empty();
    Optional<InetAddress> bindIp = Optional.empty();
    OptionalInt bindPort = OptionalInt.empty();
  }

  /** The keywords that make a checker's method, read into one draft per checker block. */
  private final class MethodDraft {
    private Optional<String> virtualHost;
    private final List<ConfNode> urls = new ArrayList<>();
    private HttpVersion httpVersion = HttpVersion.HTTP_1_0;
    private boolean sni;
    private String miscPath;
    private Optional<Duration> miscTimeout = Optional.empty();
    private boolean miscDynamic;
    private DnsCheck.DnsQueryType dnsType = DnsCheck.DnsQueryType.SOA;
    private String dnsName = "";
    private byte[] payload = new byte[0];
    private boolean requireReply;
    private int minReply;
    private int maxReply = 65535;

    MethodDraft(Optional<String> virtualHost) {
      this.virtualHost = virtualHost;
    }

    /** Reads {@code child} if it belongs to a checker of {@code type}; false if it does not. */
    boolean read(ConfNode child, String type) {
      String keyword = child.keyword();
      switch (type) {
        case "HTTP_GET", "SSL_GET" -> {
          switch (keyword) {
            case "url" -> urls.add(child);
            case "virtualhost" -> attempt(() -> virtualHost = Optional.of(child.singleArg()));
            case "http_protocol" -> attempt(() -> httpVersion = httpVersion(child));
            case "enable_sni" -> {
              if (!type.equals("SSL_GET")) {
                return false;
              }
              sni = flag(child);
            }
            default -> {
              return false;
            }
          }
        }
        case "MISC_CHECK" -> {
          switch (keyword) {
            case "misc_path" -> attempt(() -> miscPath = child.singleArg());
            case "misc_timeout" ->
                attempt(() -> miscTimeout = Optional.of(child.durationArg(MIN_TIME, MAX_TIME)));
            case "misc_dynamic" -> miscDynamic = flag(child);
            case "user" ->
                problems.add(child.problem("user is not supported yet: scripts run as the agent"));
            default -> {
              return false;
            }
          }
        }
        case "DNS_CHECK" -> {
          switch (keyword) {
            case "type" -> attempt(() -> dnsType = dnsType(child));
            case "name" -> attempt(() -> dnsName = child.singleArg());
            default -> {
              return false;
            }
          }
        }
        case "UDP_CHECK" -> {
          switch (keyword) {
            case "payload" -> attempt(() -> payload = hex(child, child.singleArg()));
            case "require_reply" -> {
              if (!child.args().isEmpty()) {
                problems.add(child.problem("require_reply with a pattern is not supported yet"));
              }
              requireReply = true;
            }
            case "min_reply_length" -> attempt(() -> minReply = child.intArg(0, 65535));
            case "max_reply_length" -> attempt(() -> maxReply = child.intArg(0, 65535));
            default -> {
              return false;
            }
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    CheckMethod build(ConfNode node, String type, TimingDraft timing)
        throws KeepalivedConfException {
      return switch (type) {
        case "HTTP_GET", "SSL_GET" -> http(node, type);
        case "TCP_CHECK" -> new TcpCheck();
        case "PING_CHECK" -> new PingCheck();
        case "MISC_CHECK" -> {
          if (miscPath == null) {
            throw node.error("MISC_CHECK: missing 'misc_path'");
          }
          // keepalived: without misc_timeout the script may run for delay_loop.
          Duration timeout =
              miscTimeout.orElse(timing.interval.orElse(CheckTiming.DEFAULT_INTERVAL));
          yield new MiscCheck(miscPath, timeout, miscDynamic);
        }
        case "DNS_CHECK" -> new DnsCheck(dnsType, dnsName.isEmpty() ? "." : dnsName);
        case "UDP_CHECK" -> {
          if (minReply > maxReply) {
            throw node.error(
                "UDP_CHECK: min_reply_length "
                    + minReply
                    + " is above max_reply_length "
                    + maxReply);
          }
          yield new UdpCheck(payload, requireReply, minReply, maxReply);
        }
        default -> throw new IllegalStateException("not a checker: " + type);
      };
    }

    private HttpGetCheck http(ConfNode node, String type) throws KeepalivedConfException {
      if (urls.isEmpty()) {
        throw node.error(type + ": missing 'url'");
      }
      if (urls.size() > 1) {
        throw urls.get(1)
            .error(
                "more than one url in one "
                    + type
                    + " is not supported yet (the first is at "
                    + urls.get(0).position()
                    + ")");
      }
      ConfNode url = urls.get(0);
      String path = null;
      Optional<String> digest = Optional.empty();
      List<StatusCodeRange> codes = List.of(StatusCodeRange.SUCCESS);
      List<ConfProblem> found = new ArrayList<>();
      for (ConfNode child : url.children()) {
        try {
          switch (child.keyword()) {
            case "path" -> path = child.singleArg();
            case "digest" -> digest = Optional.of(child.singleArg());
            case "status_code" -> codes = statusCodes(child);
            default -> found.add(child.unknownKeyword());
          }
        } catch (KeepalivedConfException e) {
          found.addAll(e.problems());
        }
      }
      if (path == null) {
        found.add(url.problem("url: missing 'path'"));
      }
      if (!found.isEmpty()) {
        throw new KeepalivedConfException(found);
      }
      Optional<HttpGetCheck.Tls> tls =
          type.equals("SSL_GET")
              ? Optional.of(new HttpGetCheck.Tls(sni ? virtualHost : Optional.empty(), false))
              : Optional.empty();
      try {
        return new HttpGetCheck(path, codes, digest, virtualHost, httpVersion, tls);
      } catch (IllegalArgumentException e) {
        throw url.error(type + ": " + e.getMessage());
      }
    }
  }

  private static HttpVersion httpVersion(ConfNode node) throws KeepalivedConfException {
    return switch (node.singleArg()) {
      case "1.0", "1.0C", "1.0c" -> HttpVersion.HTTP_1_0;
      case "1.1" -> HttpVersion.HTTP_1_1;
      default ->
          throw node.error(
              "http_protocol: expected 1.0, 1.0C or 1.1, got '" + node.singleArg() + "'");
    };
  }

  /** {@code status_code 200}, {@code status_code 200-299 301 302}: codes and ranges. */
  private static List<StatusCodeRange> statusCodes(ConfNode node) throws KeepalivedConfException {
    if (node.args().isEmpty()) {
      throw node.error("status_code: expected codes or ranges such as 200 or 200-299");
    }
    List<StatusCodeRange> ranges = new ArrayList<>();
    for (String word : node.args()) {
      String[] ends = word.split("-", -1);
      if (ends.length > 2) {
        throw node.error("status_code: '" + word + "' is neither a code nor a range");
      }
      int from = (int) parseLong(node, "status_code", ends[0], 100, 599);
      int to = ends.length == 2 ? (int) parseLong(node, "status_code", ends[1], 100, 599) : from;
      if (from > to) {
        throw node.error("status_code: range '" + word + "' has its low end last");
      }
      ranges.add(new StatusCodeRange(from, to));
    }
    return List.copyOf(ranges);
  }

  private static DnsCheck.DnsQueryType dnsType(ConfNode node) throws KeepalivedConfException {
    String text = node.singleArg().toUpperCase(Locale.ROOT);
    for (DnsCheck.DnsQueryType type : DnsCheck.DnsQueryType.values()) {
      if (type.name().equals(text)) {
        return type;
      }
    }
    throw node.error(
        "type: expected one of A NS CNAME SOA MX TXT AAAA, got '" + node.singleArg() + "'");
  }

  private static byte[] hex(ConfNode node, String text) throws KeepalivedConfException {
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw node.error(node.keyword() + ": '" + text + "' is not an even number of hex digits");
    }
  }

  // ---- timing -----------------------------------------------------------------------------------

  /** Timing keywords written so far on the way in: virtual_server, real_server, checker. */
  private record TimingDraft(
      Optional<Duration> interval,
      Optional<Duration> connectTimeout,
      OptionalInt retries,
      Optional<Duration> retryDelay,
      Optional<Duration> warmup) {
    static final TimingDraft NONE =
        new TimingDraft(
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            Optional.empty(),
            Optional.empty());

    TimingDraft withInterval(Duration value) {
      return new TimingDraft(Optional.of(value), connectTimeout, retries, retryDelay, warmup);
    }

    TimingDraft withConnectTimeout(Duration value) {
      return new TimingDraft(interval, Optional.of(value), retries, retryDelay, warmup);
    }

    TimingDraft withRetries(int value) {
      return new TimingDraft(interval, connectTimeout, OptionalInt.of(value), retryDelay, warmup);
    }

    TimingDraft withRetryDelay(Duration value) {
      return new TimingDraft(interval, connectTimeout, retries, Optional.of(value), warmup);
    }

    TimingDraft withWarmup(Duration value) {
      return new TimingDraft(interval, connectTimeout, retries, retryDelay, Optional.of(value));
    }
  }

  /**
   * Reads {@code child} if it is a timing keyword, handing the new draft to {@code set}; false if
   * it is not one.
   */
  private boolean timingKeyword(ConfNode child, TimingDraft draft, Consumer<TimingDraft> set) {
    ConfProblems.Step step =
        switch (child.keyword()) {
          case "delay_loop" ->
              () -> set.accept(draft.withInterval(child.durationArg(MIN_TIME, MAX_TIME)));
          case "connect_timeout" ->
              () -> set.accept(draft.withConnectTimeout(child.durationArg(MIN_TIME, MAX_TIME)));
          case "retry" -> () -> set.accept(draft.withRetries(child.intArg(0, 1_000_000)));
          case "delay_before_retry" ->
              () -> set.accept(draft.withRetryDelay(child.durationArg(Duration.ZERO, MAX_TIME)));
          case "warmup" ->
              () -> set.accept(draft.withWarmup(child.durationArg(Duration.ZERO, MAX_TIME)));
          default -> null;
        };
    if (step == null) {
      return false;
    }
    attempt(step);
    return true;
  }

  // ---- values -----------------------------------------------------------------------------------

  private static InetAddress address(ConfNode node, String text) throws KeepalivedConfException {
    return ConfAddresses.address(node, text);
  }

  private static InetSocketAddress endpoint(ConfNode node) throws KeepalivedConfException {
    if (node.args().size() != 2) {
      throw node.error(
          node.keyword() + ": expected ADDRESS PORT, got " + String.join(" ", node.args()));
    }
    return new InetSocketAddress(
        address(node, node.args().get(0)), port(node, node.args().get(1), true));
  }

  private static int port(ConfNode node, String text, boolean required)
      throws KeepalivedConfException {
    return (int) parseLong(node, node.keyword() + " port", text, required ? 1 : 0, 65535);
  }

  private static long parseLong(ConfNode node, String what, String text, long min, long max)
      throws KeepalivedConfException {
    OptionalLong value = ConfValues.parseInteger(text);
    if (value.isEmpty() || value.getAsLong() < min || value.getAsLong() > max) {
      throw node.error(what + ": expected an integer " + min + "-" + max + ", got '" + text + "'");
    }
    return value.getAsLong();
  }

  private static InetAddress mask(ConfNode node) throws KeepalivedConfException {
    InetAddress mask = address(node, node.singleArg());
    if (!(mask instanceof Inet4Address)) {
      throw node.error("persistence_granularity: only an IPv4 netmask is supported yet");
    }
    return mask;
  }

  /** persistence_granularity as the kernel takes it: the IPv4 mask's bits in network order. */
  private static int netmask(InetAddress mask) {
    byte[] bytes = mask.getAddress();
    int value = 0;
    for (byte b : bytes) {
      value = value << 8 | (b & 0xff);
    }
    return value;
  }

  private static int defaultNetmask(ServiceKey key) {
    return IpvsService.of(key, "rr").netmask();
  }

  private static String sorted(Set<String> names) {
    return String.join(" ", names.stream().sorted().toList());
  }

  private static List<ServiceKey> concat(ServiceKey first, List<ServiceKey> rest) {
    List<ServiceKey> all = new ArrayList<>(1 + rest.size());
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
