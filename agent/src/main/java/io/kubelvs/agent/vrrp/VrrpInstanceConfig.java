package io.kubelvs.agent.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One VRRP instance, as keepalived's {@code vrrp_instance} block describes it (names in brackets).
 *
 * @param name the instance's name [vrrp_instance NAME]
 * @param version 2 (RFC 3768) or 3 (RFC 5798) [version]
 * @param vrid the virtual router id, 1..255 [virtual_router_id]
 * @param priority the base priority, 1..255; 255 is the address owner [priority]
 * @param advertInterval v3: 0.01 s to 40.95 s in centiseconds; v2: whole seconds [advert_int]
 * @param primaryAddress the interface's primary address: the adverts' source and the tie-breaker
 * @param virtualAddresses the VIPs this instance owns as master [virtual_ipaddress]
 * @param preempt whether a higher priority takes over from a lower master [nopreempt negates]
 * @param preemptDelay after start (and after a fault), how long not to preempt [preempt_delay]
 * @param unicastPeers empty for multicast; else the only routers adverts are accepted from
 *     [unicast_peer]
 * @param garp gratuitous ARP / unsolicited NA settings [garp_master_*]
 * @param handOverWait how long {@link VrrpStateMachine#handOver()} keeps the VIPs when no new
 *     master is heard; null for the default, the Master_Down_Interval of a priority-254 backup
 * @param trackScripts the scripts whose result faults the instance or moves its priority, each with
 *     the weight this instance gives it [track_script]
 * @param trackInterfaces other interfaces whose link state faults the instance or moves its
 *     priority [track_interface]
 * @param trackFiles files whose number moves the priority or faults the instance [track_file]
 * @param stateMaster the instance is meant to be master [state MASTER]: at start it listens one
 *     advert interval plus the smallest skew for a master, not a whole Master_Down_Interval (see
 *     {@link #shortStartWait()})
 */
public record VrrpInstanceConfig(
    String name,
    int version,
    int vrid,
    int priority,
    Duration advertInterval,
    InetAddress primaryAddress,
    List<InetAddress> virtualAddresses,
    boolean preempt,
    Duration preemptDelay,
    List<InetAddress> unicastPeers,
    Garp garp,
    Duration handOverWait,
    List<TrackedScript> trackScripts,
    List<TrackedInterface> trackInterfaces,
    List<TrackedFile> trackFiles,
    boolean stateMaster) {

  /** The address owner's priority (RFC 5798 §5.2.4): it starts as master at once. */
  public static final int OWNER_PRIORITY = 255;

  /**
   * keepalived's gratuitous ARP settings. A zero {@code masterDelay} means no second burst, a zero
   * {@code masterRefresh} no periodic refresh.
   *
   * @param masterRepeat how many on becoming master [garp_master_repeat, 5]
   * @param masterDelay when the second burst follows [garp_master_delay, 5 s]
   * @param masterRefresh how often a master repeats them [garp_master_refresh, off]
   * @param masterRefreshRepeat how many each refresh [garp_master_refresh_repeat, 1]
   */
  public record Garp(
      int masterRepeat, Duration masterDelay, Duration masterRefresh, int masterRefreshRepeat) {

    public static final Garp KEEPALIVED_DEFAULTS =
        new Garp(5, Duration.ofSeconds(5), Duration.ZERO, 1);

    public Garp {
      if (masterRepeat < 1 || masterRefreshRepeat < 1) {
        throw new IllegalArgumentException("gratuitous ARP repeat counts must be at least 1");
      }
      requireNotNegative(masterDelay, "garp_master_delay");
      requireNotNegative(masterRefresh, "garp_master_refresh");
    }
  }

  public VrrpInstanceConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("VRRP instance needs a name");
    }
    if (version != 2 && version != 3) {
      throw invalid(name, "version " + version + " is not 2 or 3");
    }
    if (vrid < 1 || vrid > 255) {
      throw invalid(name, "virtual_router_id " + vrid + " is not in 1..255");
    }
    if (priority < 1 || priority > OWNER_PRIORITY) {
      throw invalid(name, "priority " + priority + " is not in 1..255");
    }
    checkAdvertInterval(name, version, advertInterval);
    Objects.requireNonNull(primaryAddress, "primaryAddress");
    virtualAddresses = List.copyOf(virtualAddresses);
    if (virtualAddresses.isEmpty()) {
      throw invalid(name, "no virtual_ipaddress");
    }
    requireNotNegative(preemptDelay, "preempt_delay");
    unicastPeers = List.copyOf(unicastPeers);
    Objects.requireNonNull(garp, "garp");
    if (handOverWait == null) {
      handOverWait = MasterDownInterval.of(version, OWNER_PRIORITY - 1, advertInterval);
    }
    requireNotNegative(handOverWait, "handOverWait");
    trackScripts = trackScripts == null ? List.of() : List.copyOf(trackScripts);
    if (trackScripts.stream().map(t -> t.settings().name()).distinct().count()
        != trackScripts.size()) {
      throw invalid(name, "a script is tracked twice");
    }
    trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
    if (trackInterfaces.stream().map(TrackedInterface::interfaceName).distinct().count()
        != trackInterfaces.size()) {
      throw invalid(name, "an interface is tracked twice");
    }
    trackFiles = trackFiles == null ? List.of() : List.copyOf(trackFiles);
    if (trackFiles.stream().map(TrackedFile::name).distinct().count() != trackFiles.size()) {
      throw invalid(name, "a file is tracked twice");
    }
  }

  public static Builder builder(String name, int vrid, InetAddress primaryAddress) {
    return new Builder(name, vrid, primaryAddress);
  }

  /** Whether adverts go to unicast peers instead of the multicast group. */
  public boolean unicast() {
    return !unicastPeers.isEmpty();
  }

  /** Priority 255: the router that owns the virtual addresses as real ones. */
  public boolean addressOwner() {
    return priority == OWNER_PRIORITY;
  }

  private static void checkAdvertInterval(String name, int version, Duration interval) {
    Objects.requireNonNull(interval, "advertInterval");
    long millis = interval.toMillis();
    boolean valid =
        version == 3
            ? millis >= 10 && millis <= 40_950 && interval.toNanos() % 10_000_000 == 0
            : millis >= 1_000 && millis <= 255_000 && interval.toNanos() % 1_000_000_000 == 0;
    if (!valid) {
      throw invalid(
          name,
          "advert_int "
              + MasterDownInterval.seconds(interval)
              + (version == 3
                  ? " is not 0.01 to 40.95 s in centiseconds (v3)"
                  : " is not whole seconds 1 to 255 (v2)"));
    }
  }

  private static void requireNotNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or more, not " + d);
    }
  }

  private static IllegalArgumentException invalid(String name, String why) {
    return new IllegalArgumentException("VRRP instance " + name + ": " + why);
  }

  /**
   * How long the instance listens for a master when it starts, if not a whole Master_Down_Interval.
   * RFC 5798 §6.4.1 waits a Master_Down_Interval (3 advert intervals and the skew, 3.609 s for
   * priority 100 at 1 s): it tolerates two lost adverts of a master it has not heard yet. An
   * instance configured {@code state MASTER} waits one advert interval and the smallest skew (1/256
   * of an interval, 1/256 s in v2) instead, as keepalived does for a sync group member that wants
   * MASTER (vrrp_scheduler.c: master_adver_int + VRRP_TIMER_SKEW_MIN): a running master adverts
   * once per interval, so it is heard within that wait unless its advert is lost, and then the
   * first one that arrives settles it (the higher priority stays master). keepalived's own start
   * waits the full interval; this brings the seed's master from its start to its first advert in
   * ~1.3 s rather than ~4 s. {@code preempt_delay} and {@code nopreempt} keep the full wait: they
   * ask for the opposite, patience.
   *
   * @return empty where the instance waits the whole Master_Down_Interval
   */
  public Optional<Duration> shortStartWait() {
    if (stateMaster && preempt && preemptDelay.isZero()) {
      return Optional.of(
          advertInterval.plus(MasterDownInterval.skewTime(version, 255, advertInterval)));
    }
    return Optional.empty();
  }

  /** Starts from keepalived's defaults: version 2, priority 100, advert_int 1, preempt. */
  public static final class Builder {
    private final String name;
    private final int vrid;
    private final InetAddress primaryAddress;
    private int version = 2;
    private int priority = 100;
    private Duration advertInterval = Duration.ofSeconds(1);
    private List<InetAddress> virtualAddresses = List.of();
    private boolean preempt = true;
    private Duration preemptDelay = Duration.ZERO;
    private List<InetAddress> unicastPeers = List.of();
    private Garp garp = Garp.KEEPALIVED_DEFAULTS;
    private Duration handOverWait;
    private List<TrackedScript> trackScripts = List.of();
    private List<TrackedInterface> trackInterfaces = List.of();
    private List<TrackedFile> trackFiles = List.of();
    private boolean stateMaster;

    private Builder(String name, int vrid, InetAddress primaryAddress) {
      this.name = name;
      this.vrid = vrid;
      this.primaryAddress = primaryAddress;
    }

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder advertInterval(Duration advertInterval) {
      this.advertInterval = advertInterval;
      return this;
    }

    public Builder virtualAddresses(InetAddress... addresses) {
      this.virtualAddresses = List.of(addresses);
      return this;
    }

    public Builder preempt(boolean preempt) {
      this.preempt = preempt;
      return this;
    }

    public Builder preemptDelay(Duration preemptDelay) {
      this.preemptDelay = preemptDelay;
      return this;
    }

    public Builder unicastPeers(InetAddress... peers) {
      this.unicastPeers = List.of(peers);
      return this;
    }

    public Builder garp(Garp garp) {
      this.garp = garp;
      return this;
    }

    public Builder handOverWait(Duration handOverWait) {
      this.handOverWait = handOverWait;
      return this;
    }

    public Builder trackScripts(List<TrackedScript> trackScripts) {
      this.trackScripts = List.copyOf(trackScripts);
      return this;
    }

    public Builder trackInterfaces(List<TrackedInterface> trackInterfaces) {
      this.trackInterfaces = List.copyOf(trackInterfaces);
      return this;
    }

    public Builder trackFiles(List<TrackedFile> trackFiles) {
      this.trackFiles = List.copyOf(trackFiles);
      return this;
    }

    public Builder stateMaster(boolean stateMaster) {
      this.stateMaster = stateMaster;
      return this;
    }

    public VrrpInstanceConfig build() {
      return new VrrpInstanceConfig(
          name,
          version,
          vrid,
          priority,
          advertInterval,
          primaryAddress,
          virtualAddresses,
          preempt,
          preemptDelay,
          unicastPeers,
          garp,
          handOverWait,
          trackScripts,
          trackInterfaces,
          trackFiles,
          stateMaster);
    }
  }
}
