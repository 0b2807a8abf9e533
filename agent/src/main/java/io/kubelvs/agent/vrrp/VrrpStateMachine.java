package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.MasterDownInterval.seconds;

import io.kubelvs.agent.vrrp.VrrpTimers.Timer;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one VRRP instance: RFC 5798 §6.4 (RFC 3768 for v2) as keepalived 2.2.7 runs
 * it. Pure: each event reads the injected clock once and returns the actions for the I/O layer, in
 * order; no threads, sockets or sleeps. Not thread-safe: one owner feeds it events.
 *
 * <ul>
 *   <li>Start: BACKUP, and MASTER after a full Master_Down_Interval without adverts; the address
 *       owner (priority 255) is MASTER at once.
 *   <li>A backup receives as {@link BackupTasks} says (§6.4.2). A master (§6.4.3) steps down for a
 *       better advert, answers a worse one at once so that master steps down (keepalived), and
 *       answers priority 0 at once; it sends as {@link MasterTasks} says.
 *   <li>FAULT while the link, a weight-0 tracked condition or the sync group is down: VIPs removed,
 *       silent. A master that can still speak (not link down) sends priority 0 on the way out.
 *   <li>{@link #shutdown()}: a master sends one priority-0 advert, then removes the VIPs.
 * </ul>
 *
 * <p><b>Handover</b> ({@link #handOver()}, beyond keepalived). keepalived's stop sends priority 0
 * and removes the VIPs at once, so clients go unserved until the backup's skew time has passed and
 * its gratuitous ARPs have landed: the 36–625 ms outage in TESTING.md. Here the master sends
 * priority 0 but keeps the VIPs and keeps serving; the backup takes over after its skew time and
 * advertises, and only that advert (priority above 0 from another router, which only a master
 * sends) releases the VIPs, one of the new master's advert intervals later: it sends its gratuitous
 * ARPs right behind that advert, so clients move while both routers answer. Priority 0 is repeated
 * every interval in case one is lost (a backup re-arms to its skew time, shorter than an interval,
 * so it still fires). The wait is bounded ({@link VrrpInstanceConfig#handOverWait()}, by default a
 * priority-254 backup's Master_Down_Interval): with no backup at all the VIPs go when it ends.
 */
public final class VrrpStateMachine {

  private static final Logger log = LoggerFactory.getLogger(VrrpStateMachine.class);

  private final VrrpInstanceConfig config;
  private final MonotonicClock clock;
  private final VrrpTimers timers = new VrrpTimers();
  private final VrrpOutbox out;
  private final AdvertisementChecks checks;
  private final BackupTasks backup;
  private final MasterTasks master;
  private final VrrpFaults faults = new VrrpFaults();
  private Predicate<VrrpStateMachine> masterGate = m -> true;
  private VrrpRole role = VrrpRole.INIT;
  private int priority;
  private boolean resumeAsMaster;
  private boolean handingOver;
  private String newMasterHeard;
  private long now;

  public VrrpStateMachine(VrrpInstanceConfig config, MonotonicClock clock) {
    this.config = config;
    this.clock = clock;
    this.out = new VrrpOutbox(config);
    this.checks = new AdvertisementChecks(config, out);
    this.backup = new BackupTasks(config, timers);
    this.master = new MasterTasks(config, timers, out);
    this.priority = config.priority();
  }

  public List<VrrpAction> start() {
    begin();
    if (role != VrrpRole.INIT) {
      throw new IllegalStateException("VRRP instance " + config.name() + " is already " + role);
    }
    enterService("start", true);
    resumeAsMaster = false;
    return finish(false);
  }

  /**
   * Before {@link #start()}: this instance was master in the runner this one replaces (its
   * interface was reconfigured, {@code VrrpEngine}) and its VIPs are still on the interface. It
   * starts as master at once, unless a fault holds it, instead of as a backup that waits a
   * Master_Down_Interval while its peers, which heard it a moment ago, wait too: a reconfiguration
   * must not move or drop the VIPs. Should a peer outrank it now, the first advert it hears settles
   * that as at any time.
   */
  public void resumeAsMaster() {
    if (role != VrrpRole.INIT) {
      throw new IllegalStateException("VRRP instance " + config.name() + " is already " + role);
    }
    resumeAsMaster = true;
  }

  /**
   * Before {@link #start()}: the VIPs are on the interface, added by an earlier run of this agent
   * that ended without removing them (a crash). They are this instance's again, so the start
   * removes them unless it begins as master (the address owner), as keepalived does at start.
   */
  public void adoptVips() {
    if (role != VrrpRole.INIT) {
      throw new IllegalStateException("VRRP instance " + config.name() + " is already " + role);
    }
    out.adoptVips();
  }

  public List<VrrpAction> onAdvertisement(Advertisement advert) {
    begin();
    boolean listening = role == VrrpRole.BACKUP || role == VrrpRole.MASTER;
    if (listening && checks.accept(advert)) {
      if (handingOver) {
        handOverHears(advert);
      } else if (role == VrrpRole.BACKUP) {
        backup.receive(advert, now, priority);
      } else {
        masterReceives(advert);
      }
    }
    return finish(false);
  }

  /** The scheduled deadline is reached; harmless when called early. */
  public List<VrrpAction> onTimer() {
    begin();
    if (timers.isDue(Timer.HAND_OVER, now)) {
      stop(
          newMasterHeard != null
              ? "handover: new master " + newMasterHeard + " heard"
              : "handover: no new master heard within " + seconds(config.handOverWait()),
          false);
    } else if (timers.isDue(Timer.MASTER_DOWN, now)) {
      String reason = backup.masterDown();
      if (masterGate.test(this)) {
        becomeMaster(reason);
      } else {
        backup.waitForGroup(now, priority);
      }
    } else {
      master.onTimers(now, handingOver ? 0 : priority);
    }
    return finish(true);
  }

  public List<VrrpAction> onLinkChange(boolean up) {
    begin();
    setFault(VrrpFaults.Cause.LINK, up ? null : "link down", "link up");
    return finish(false);
  }

  /** The effective priority from tracking: 1..254, or 255 for the owner. */
  public List<VrrpAction> onPriorityChange(int effectivePriority) {
    begin();
    setPriority(effectivePriority);
    return finish(false);
  }

  /** What the tracked conditions say: the effective priority, and a fault or none. */
  public List<VrrpAction> onTracking(TrackedCondition.Verdict verdict) {
    begin();
    setPriority(verdict.effectivePriority());
    setFault(VrrpFaults.Cause.TRACKING, verdict.fault().orElse(null), "tracked conditions up");
    return finish(false);
  }

  public List<VrrpAction> shutdown() {
    begin();
    if (role != VrrpRole.STOPPED) {
      stop("shutdown", !handingOver);
    }
    return finish(false);
  }

  /** Planned handover, see the class comment. When not master, the same as a shutdown. */
  public List<VrrpAction> handOver() {
    begin();
    if (role != VrrpRole.MASTER && role != VrrpRole.STOPPED) {
      stop("handover while " + role, false);
    } else if (role == VrrpRole.MASTER && !handingOver) {
      handingOver = true;
      master.startHandOver(now);
      log.info("vrrp handover instance={} wait={}", config.name(), seconds(config.handOverWait()));
    }
    return finish(false);
  }

  public VrrpInstanceConfig config() {
    return config;
  }

  public VrrpRole role() {
    return role;
  }

  public int priority() {
    return priority;
  }

  public boolean handingOver() {
    return handingOver;
  }

  public long count(VrrpCounter counter) {
    return out.counted(counter);
  }

  // --- for SyncGroup

  void masterGate(Predicate<VrrpStateMachine> gate) {
    this.masterGate = gate;
  }

  /** keepalived's "wantstate MASTER": master, or a backup whose master down timer fired. */
  boolean readyForMaster() {
    return role == VrrpRole.MASTER || (role == VrrpRole.BACKUP && backup.wantsMaster());
  }

  /** A fault of the instance's own, not only its sync group's. */
  Optional<String> ownFault() {
    return faults.own();
  }

  List<VrrpAction> onSyncFault(String reasonOrNull) {
    begin();
    setFault(VrrpFaults.Cause.SYNC_GROUP, reasonOrNull, "sync group up");
    return finish(false);
  }

  List<VrrpAction> onSyncBackup(String reason) {
    begin();
    if (role == VrrpRole.MASTER && !handingOver) {
      becomeBackup(reason, true);
    }
    return finish(false);
  }

  List<VrrpAction> onSyncMaster(String reason) {
    begin();
    if (role == VrrpRole.BACKUP) {
      becomeMaster(reason);
    }
    return finish(false);
  }

  // --- receiving

  /** RFC 5798 §6.4.3, and keepalived's answer to a lower master. */
  private void masterReceives(Advertisement advert) {
    if (advert.priority() == 0) {
      master.advertiseNow(now, priority);
    } else if (AdvertisementChecks.outranks(advert, priority, config.primaryAddress())) {
      String rank = advert.priority() > priority ? "higher priority " : "equal priority ";
      backup.adoptInterval(advert);
      becomeBackup(rank + advert.priority() + " from " + advert.sourceText(), false);
    } else {
      // keepalived answers at once, so that master hears us and steps down within one packet, and
      // refreshes the LAN's ARP caches: while both were master (a partition that healed, a master
      // that was frozen), clients may have learned the other one's MAC for the VIPs, and it drops
      // them once it steps down [vrrp.c: "forcing new election", vrrp_send_link_update].
      out.advert(priority);
      out.gratuitous(config.garp().masterRepeat());
    }
  }

  /**
   * The new master is heard; the VIPs stay one of its advert intervals longer. It sends its
   * gratuitous ARPs right after this advert, and until they land clients still send here: releasing
   * at once lost a probe now and then in the failover benchmark.
   */
  private void handOverHears(Advertisement advert) {
    if (advert.priority() > 0 && newMasterHeard == null) {
      newMasterHeard = advert.sourceText() + " (priority " + advert.priority() + ")";
      master.lingerForNewMaster(now, advert.advertInterval());
    }
  }

  // --- transitions

  /** Start, or back from FAULT: RFC 5798 §6.4.1 Initialize. */
  private void enterService(String reason, boolean starting) {
    backup.initialize(now);
    if (faults.any()) {
      becomeFault(faults.first().orElseThrow(), false);
    } else if (config.addressOwner()) {
      becomeMaster(reason + ", address owner (priority 255)");
    } else if (resumeAsMaster) {
      resumeMaster(reason + ", resumed as master: its interface was reconfigured");
    } else if (starting) {
      leave(VrrpRole.BACKUP, reason, false);
      backup.enterAtStart(now, priority);
    } else {
      becomeBackup(reason, false);
    }
  }

  private void setFault(VrrpFaults.Cause cause, String reasonOrNull, String recovered) {
    boolean wasFaulted = faults.any();
    faults.set(cause, reasonOrNull);
    if (role == VrrpRole.INIT || role == VrrpRole.STOPPED) {
      return;
    }
    if (reasonOrNull != null && handingOver) {
      stop("handover ended by " + reasonOrNull, false);
    } else if (!wasFaulted && reasonOrNull != null) {
      becomeFault(reasonOrNull, cause != VrrpFaults.Cause.LINK);
    } else if (wasFaulted && !faults.any()) {
      enterService(recovered, false);
    }
  }

  private void setPriority(int effectivePriority) {
    if (effectivePriority < 1 || effectivePriority > VrrpInstanceConfig.OWNER_PRIORITY) {
      throw new IllegalArgumentException("effective priority " + effectivePriority);
    }
    if (effectivePriority != priority && role != VrrpRole.STOPPED) {
      log.info(
          "vrrp priority instance={} from={} to={}", config.name(), priority, effectivePriority);
      priority = effectivePriority;
    }
  }

  private void becomeMaster(String reason) {
    transition(VrrpRole.MASTER, reason);
    out.count(VrrpCounter.BECAME_MASTER);
    timers.cancelAll();
    backup.forgetMaster();
    master.enter(now, priority);
  }

  /**
   * Master in the runner this one replaces: published MASTER to MASTER ({@link
   * StateChange#resumed()}).
   */
  private void resumeMaster(String reason) {
    out.publish(new StateChange(config.name(), VrrpRole.MASTER, VrrpRole.MASTER, reason, now));
    log.info("vrrp state resumed instance={} state=MASTER reason=\"{}\"", config.name(), reason);
    role = VrrpRole.MASTER;
    timers.cancelAll();
    backup.forgetMaster();
    master.enter(now, priority);
  }

  /** {@code announce}: a master giving up on its own sends priority 0, so no backup waits. */
  private void becomeBackup(String reason, boolean announce) {
    leave(VrrpRole.BACKUP, reason, announce);
    backup.enter(now, priority);
  }

  private void becomeFault(String reason, boolean announce) {
    leave(VrrpRole.FAULT, reason, announce);
  }

  private void stop(String reason, boolean announce) {
    leave(VrrpRole.STOPPED, reason, announce);
    handingOver = false;
    newMasterHeard = null;
  }

  private void leave(VrrpRole to, String reason, boolean announce) {
    boolean wasMaster = role == VrrpRole.MASTER;
    transition(to, reason);
    if (wasMaster && announce) {
      out.advert(0);
    }
    out.removeVips();
    timers.cancelAll();
  }

  private void transition(VrrpRole to, String reason) {
    if (role == VrrpRole.MASTER) {
      out.count(VrrpCounter.RELEASED_MASTER);
    }
    out.publish(new StateChange(config.name(), role, to, reason, now));
    log.info(
        "vrrp state change instance={} from={} to={} reason=\"{}\"",
        config.name(),
        role,
        to,
        reason);
    role = to;
  }

  private void begin() {
    now = clock.nanoTime();
  }

  private List<VrrpAction> finish(boolean timerFired) {
    return out.drain(timers, timerFired);
  }
}
