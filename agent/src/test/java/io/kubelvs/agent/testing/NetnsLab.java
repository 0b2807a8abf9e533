package io.kubelvs.agent.testing;

import io.kubelvs.agent.netlink.MacAddress;
import io.kubelvs.agent.netlink.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A lab of network namespaces made with {@code ip}: a "switch" namespace holding a bridge
 * (multicast snooping off), and hosts a, b, c, ... each in a namespace of its own with one
 * interface, {@code v0}, plugged into the bridge through a veth pair. Host a is 198.18.0.11/24 with
 * MAC 02:00:c6:12:00:0b, b is .12 with ...:0c, and so on, as in the lab the keepalived golden
 * vectors were captured in. Every namespace has lo up and rp_filter 0; IPv6 duplicate address
 * detection is off, so link-local addresses work at once.
 *
 * <p>Nothing is ever done in the machine's own namespace: every {@code ip} command runs with {@code
 * -n} or {@code netns exec}, and code runs in a host on a thread that entered its namespace ({@link
 * Host#call}). {@link #close()} deletes every namespace, also the ones made before a failed {@link
 * #create}; a JVM shutdown hook closes labs a test left open. Namespace names start with a per-run
 * prefix ({@link #RUN_PREFIX}) and the lab's number, so parallel runs do not collide. Needs root.
 */
public final class NetnsLab implements AutoCloseable {
  /** Starts every namespace name this JVM makes, e.g. {@code kl3f9a2c-1-a}. */
  public static final String RUN_PREFIX =
      "kl" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

  public static final String INTERFACE = "v0";
  public static final int PREFIX_LENGTH = 24;
  private static final int FIRST_HOST_OCTET = 11;
  private static final int MAX_HOSTS = 26;
  private static final String BRIDGE = "br0";
  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  private static final AtomicInteger LABS = new AtomicInteger();
  private static final Set<NetnsLab> OPEN = ConcurrentHashMap.newKeySet();
  private static final Set<String> CLOSED_NAMESPACES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> OPEN.forEach(NetnsLab::close), "netns-lab-cleanup"));
  }

  private final String switchNamespace;
  private final List<Host> hosts = new ArrayList<>();
  private final Set<String> created = new LinkedHashSet<>();

  private NetnsLab(String prefix) {
    this.switchNamespace = prefix + "-sw";
  }

  /** A lab of {@code hostCount} hosts named a, b, ... on one bridge. */
  public static NetnsLab create(int hostCount) {
    if (hostCount < 1 || hostCount > MAX_HOSTS) {
      throw new IllegalArgumentException("a lab has 1-" + MAX_HOSTS + " hosts, not " + hostCount);
    }
    NetnsLab lab = new NetnsLab(RUN_PREFIX + "-" + LABS.incrementAndGet());
    OPEN.add(lab);
    try {
      lab.build(hostCount);
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  private void build(int hostCount) {
    addNamespace(switchNamespace);
    ip(switchNamespace, "link", "set", "dev", "lo", "up");
    ip(switchNamespace, "link", "add", "name", BRIDGE, "type", "bridge", "mcast_snooping", "0");
    ip(switchNamespace, "link", "set", "dev", BRIDGE, "up");
    for (int i = 0; i < hostCount; i++) {
      hosts.add(addHost(String.valueOf((char) ('a' + i)), FIRST_HOST_OCTET + i));
    }
  }

  private Host addHost(String name, int octet) {
    String namespace = switchNamespace.substring(0, switchNamespace.length() - 2) + name;
    Host host = new Host(name, namespace, octet);
    addNamespace(namespace);
    // Before the veth exists, so v0 starts with these defaults.
    host.sysctl("net.ipv4.conf.all.rp_filter", "0");
    host.sysctl("net.ipv4.conf.default.rp_filter", "0");
    host.sysctl("net.ipv6.conf.all.accept_dad", "0");
    host.sysctl("net.ipv6.conf.default.accept_dad", "0");
    ip(namespace, "link", "set", "dev", "lo", "up");
    ip(
        switchNamespace,
        "link",
        "add",
        "name",
        host.switchPort(),
        "type",
        "veth",
        "peer",
        "name",
        INTERFACE,
        "netns",
        namespace,
        "address",
        host.mac().toString());
    ip(switchNamespace, "link", "set", "dev", host.switchPort(), "master", BRIDGE, "up");
    ip(namespace, "address", "add", host.cidr(), "dev", INTERFACE);
    ip(namespace, "link", "set", "dev", INTERFACE, "up");
    return host;
  }

  private void addNamespace(String namespace) {
    created.add(namespace);
    run("ip", "netns", "add", namespace);
  }

  /** Host a, b, ... */
  public Host host(String name) {
    return hosts.stream()
        .filter(h -> h.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the lab has no host " + name));
  }

  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  public String switchNamespace() {
    return switchNamespace;
  }

  /** Every namespace of this lab, switch first. */
  public List<String> namespaces() {
    return List.copyOf(created);
  }

  /** The names {@code ip netns list} shows now. */
  public static Set<String> existingNamespaces() {
    Set<String> names = new LinkedHashSet<>();
    for (String line : run("ip", "netns", "list").split("\n")) {
      if (!line.isBlank()) {
        names.add(line.trim().split("\\s+")[0]);
      }
    }
    return names;
  }

  /** Namespaces of labs already closed that still exist: none, unless clean-up failed. */
  public static Set<String> leftoverNamespaces() {
    if (CLOSED_NAMESPACES.isEmpty()) {
      return Set.of();
    }
    Set<String> leftovers = existingNamespaces();
    leftovers.retainAll(CLOSED_NAMESPACES);
    return leftovers;
  }

  /** Deletes every namespace of the lab; their interfaces go with them. */
  @Override
  public synchronized void close() {
    if (!OPEN.remove(this)) {
      return;
    }
    List<String> reversed = new ArrayList<>(created);
    java.util.Collections.reverse(reversed);
    IllegalStateException failure = null;
    for (String namespace : reversed) {
      CLOSED_NAMESPACES.add(namespace);
      try {
        if (existingNamespaces().contains(namespace)) {
          run("ip", "netns", "delete", namespace);
        }
      } catch (IllegalStateException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** {@code ip -n namespace args...}: only ever inside a lab namespace. */
  static String ip(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /** Runs a command to its end and returns its output; fails with the output if it fails. */
  static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "`"
                + String.join(" ", command)
                + "` exited "
                + process.exitValue()
                + ": "
                + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run `" + String.join(" ", command) + "`", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running `" + String.join(" ", command) + "`", e);
    }
  }

  /** One host of the lab: a namespace with interface v0 on the bridge. */
  public final class Host {
    private final String name;
    private final String namespace;
    private final int octet;

    private Host(String name, String namespace, int octet) {
      this.name = name;
      this.namespace = namespace;
      this.octet = octet;
    }

    /** a, b, ... */
    public String name() {
      return name;
    }

    public String namespace() {
      return namespace;
    }

    /** The interface into the bridge, {@value NetnsLab#INTERFACE}. */
    public String interfaceName() {
      return INTERFACE;
    }

    /** 198.18.0.11 for a, .12 for b, ... */
    public Inet4Address address() {
      try {
        return (Inet4Address)
            InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) octet});
      } catch (UnknownHostException impossible) {
        throw new AssertionError(impossible);
      }
    }

    /** {@code 198.18.0.11/24}. */
    public String cidr() {
      return address().getHostAddress() + "/" + PREFIX_LENGTH;
    }

    /** 02:00:c6:12:00:0b for a: locally administered, the last bytes are the address's. */
    public MacAddress mac() {
      return MacAddress.of(new byte[] {2, 0, (byte) 0xc6, 0x12, 0, (byte) octet});
    }

    /** v0's interface index in the host's namespace, as {@code ip link} shows it. */
    public int interfaceIndex() {
      String line = ip("-o", "link", "show", "dev", INTERFACE);
      return Integer.parseInt(line.substring(0, line.indexOf(':')).trim());
    }

    /** The bridge port in the switch namespace that v0 is the other end of. */
    public String switchPort() {
      return "to-" + name;
    }

    /**
     * Calls {@code body} on a new thread that entered this host's namespace, and returns its
     * result. Sockets it opens stay in the namespace and can be used from any thread afterwards.
     */
    public <T> T call(Callable<T> body) throws Exception {
      AtomicReference<T> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  Syscalls.enterNetworkNamespace(Path.of("/var/run/netns", namespace));
                  result.set(body.call());
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "netns-" + namespace);
      thread.start();
      thread.join();
      Throwable thrown = failure.get();
      if (thrown instanceof Exception e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
      return result.get();
    }

    /** {@code ip -n <this host's namespace> args...}, e.g. {@code ip("neigh", "show")}. */
    public String ip(String... args) {
      return NetnsLab.ip(namespace, args);
    }

    /**
     * Sets a sysctl of the host's namespace, e.g. {@code net.ipv4.conf.v0.arp_accept}: written to
     * /proc/sys by a thread inside the namespace, which is whose values /proc/sys/net shows (no
     * dependency on the sysctl tool).
     */
    public void sysctl(String key, String value) {
      Path file = Path.of("/proc/sys", key.split("\\."));
      try {
        call(() -> Files.writeString(file, value));
      } catch (Exception e) {
        throw new IllegalStateException("cannot set " + key + "=" + value + " in " + namespace, e);
      }
    }

    /**
     * Sets the switch's end of this host's cable down or up: v0 stays administratively up but loses
     * or regains its carrier, as when a cable is pulled.
     */
    public void setCarrier(boolean on) {
      NetnsLab.ip(switchNamespace, "link", "set", "dev", switchPort(), on ? "up" : "down");
    }

    @Override
    public String toString() {
      return "host " + name + " (" + cidr() + " in " + namespace + ")";
    }
  }
}
