package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.MasterDownInterval.seconds;

import io.kubelvs.agent.vrrp.VrrpTimers.Timer;
import java.time.Duration;

/**
 * What a backup keeps (RFC 5798 §6.4.2): the master's advert interval, the Master_Down_Timer and
 * why it would fire, the preempt_delay window, and keepalived's "wants master" for sync groups.
 */
final class BackupTasks {

  private final VrrpInstanceConfig config;
  private final VrrpTimers timers;
  private Duration masterAdverInterval;
  private String masterDownReason = "";
  private long preemptFrom;
  private boolean wantsMaster;

  BackupTasks(VrrpInstanceConfig config, VrrpTimers timers) {
    this.config = config;
    this.timers = timers;
    this.masterAdverInterval = config.advertInterval();
  }

  /** Initialize (§6.4.1), on start and after a fault: preempt_delay counts from now. */
  void initialize(long now) {
    masterAdverInterval = config.advertInterval();
    preemptFrom = now + config.preemptDelay().toNanos();
  }

  /** Entering BACKUP: wait a full Master_Down_Interval for a master. */
  void enter(long now, int priority) {
    Duration interval = masterDownInterval(priority);
    arm(now, interval, "master down interval " + seconds(interval));
  }

  /**
   * Entering BACKUP at start: a whole Master_Down_Interval, or {@link
   * VrrpInstanceConfig#shortStartWait()} for a {@code state MASTER} instance. The first advert
   * heard re-arms the timer as {@link #receive} says, as at any time.
   */
  void enterAtStart(long now, int priority) {
    config
        .shortStartWait()
        .ifPresentOrElse(
            wait -> arm(now, wait, "state MASTER start wait " + seconds(wait)),
            () -> enter(now, priority));
  }

  /** A master steps down (§6.4.3): in v3 it adopts the new master's advert interval. */
  void adoptInterval(Advertisement advert) {
    if (config.version() == 3) {
      masterAdverInterval = advert.advertInterval();
    }
  }

  /** Becoming master: there is no master to follow any more. */
  void forgetMaster() {
    masterAdverInterval = config.advertInterval();
    wantsMaster = false;
  }

  /** An accepted advert in BACKUP (§6.4.2). */
  void receive(Advertisement advert, long now, int priority) {
    if (advert.priority() == 0) {
      Duration skew = MasterDownInterval.skewTime(config.version(), priority, masterAdverInterval);
      arm(
          now,
          skew,
          "master " + advert.sourceText() + " left (priority 0), skew time " + seconds(skew));
    } else if (advert.priority() >= priority || !mayPreempt(now)) {
      adoptInterval(advert);
      enter(now, priority);
    }
    // Otherwise a lower priority we may preempt: discarded, the timer runs on, so we take over
    // when it fires (keepalived: "received lower priority advert - discarding").
  }

  /** The Master_Down_Timer fired: the reason to become master. Wants master until reset. */
  String masterDown() {
    wantsMaster = true;
    return masterDownReason;
  }

  /** The sync group is not ready: keep wanting master and look again an interval later. */
  void waitForGroup(long now, int priority) {
    timers.set(Timer.MASTER_DOWN, now + masterDownInterval(priority).toNanos());
  }

  boolean wantsMaster() {
    return wantsMaster;
  }

  private boolean mayPreempt(long now) {
    return config.preempt() && now - preemptFrom >= 0;
  }

  private Duration masterDownInterval(int priority) {
    return MasterDownInterval.of(config.version(), priority, masterAdverInterval);
  }

  private void arm(long now, Duration timeout, String reason) {
    timers.set(Timer.MASTER_DOWN, now + timeout.toNanos());
    masterDownReason = reason + " elapsed";
    wantsMaster = false;
  }
}
