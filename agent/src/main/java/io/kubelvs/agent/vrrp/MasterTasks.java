package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpTimers.Timer;
import java.time.Duration;

/**
 * What a master sends, at once and over time: adverts every interval (RFC 5798 §6.4.3), and
 * keepalived's gratuitous ARP bursts (garp_master_repeat, garp_master_delay, garp_master_refresh).
 */
final class MasterTasks {

  private final VrrpInstanceConfig config;
  private final VrrpTimers timers;
  private final VrrpOutbox out;

  MasterTasks(VrrpInstanceConfig config, VrrpTimers timers, VrrpOutbox out) {
    this.config = config;
    this.timers = timers;
    this.out = out;
  }

  /** Becoming master: one advert, the VIPs, a burst of gratuitous ARPs, as keepalived does. */
  void enter(long now, int priority) {
    VrrpInstanceConfig.Garp garp = config.garp();
    advertiseNow(now, priority);
    out.addVips();
    out.gratuitous(garp.masterRepeat());
    if (!garp.masterDelay().isZero()) {
      timers.set(Timer.GARP_SECOND_BURST, now + garp.masterDelay().toNanos());
    }
    if (!garp.masterRefresh().isZero()) {
      timers.set(Timer.GARP_REFRESH, now + garp.masterRefresh().toNanos());
    }
  }

  /** An advert now, and the next one an interval later. */
  void advertiseNow(long now, int priority) {
    out.advert(priority);
    timers.set(Timer.ADVERT, now + config.advertInterval().toNanos());
  }

  /** Handover: priority 0 now and every interval, and no more gratuitous ARPs pulling traffic. */
  void startHandOver(long now) {
    timers.cancel(Timer.GARP_SECOND_BURST);
    timers.cancel(Timer.GARP_REFRESH);
    advertiseNow(now, 0);
    timers.set(Timer.HAND_OVER, now + config.handOverWait().toNanos());
  }

  /** Handover: the new master is heard; release the VIPs {@code linger} from now, quietly. */
  void lingerForNewMaster(long now, Duration linger) {
    timers.cancel(Timer.ADVERT);
    long release = now + linger.toNanos();
    if (release - timers.deadline(Timer.HAND_OVER) < 0) {
      timers.set(Timer.HAND_OVER, release);
    }
  }

  /** The periodic work that is due; {@code advertPriority} is 0 while handing over. */
  void onTimers(long now, int advertPriority) {
    if (timers.isDue(Timer.ADVERT, now)) {
      out.advert(advertPriority);
      rearm(Timer.ADVERT, now, config.advertInterval());
    }
    if (timers.isDue(Timer.GARP_SECOND_BURST, now)) {
      out.gratuitous(config.garp().masterRepeat());
      timers.cancel(Timer.GARP_SECOND_BURST);
    }
    if (timers.isDue(Timer.GARP_REFRESH, now)) {
      out.gratuitous(config.garp().masterRefreshRepeat());
      rearm(Timer.GARP_REFRESH, now, config.garp().masterRefresh());
    }
  }

  /** Keeps a periodic timer's cadence, unless the call came so late that it would burst. */
  private void rearm(Timer timer, long now, Duration period) {
    long next = timers.deadline(timer) + period.toNanos();
    timers.set(timer, next - now > 0 ? next : now + period.toNanos());
  }
}
