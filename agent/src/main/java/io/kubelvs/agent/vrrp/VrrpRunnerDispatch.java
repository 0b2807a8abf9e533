package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.NetlinkException;
import io.kubelvs.agent.sys.SyscallException;
import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import io.kubelvs.agent.vrrp.VrrpAction.SendGratuitous;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what a state machine of a {@link VrrpRunner} asks ({@link VrrpAction}) on the kernel,
 * on the event loop's thread. An error of the native layer is logged with its context and puts the
 * instance in FAULT (a tracked-condition fault, so its VIPs go), to be tried again {@link
 * VrrpRunner#IO_FAULT_RETRY} later.
 */
final class VrrpRunnerDispatch {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunnerDispatch.class);

  private final String interfaceName;
  private final VrrpRunnerIo io;
  private final MonotonicClock clock;
  private final List<Consumer<StateChange>> listeners;
  private final Runnable onChange;
  private final Runnable onVipsChanged;
  private Map<String, VrrpRunnerInstance> instances = Map.of();
  private Map<String, SyncGroup> groups = Map.of();

  /**
   * @param listeners read at each state change, so listeners added later are called too
   * @param onChange called after each event's actions, to wake threads waiting for a state
   * @param onVipsChanged called after an event's actions that added or removed VIPs, to record
   *     them; after the gratuitous ARPs, so a takeover never waits for a disk
   */
  VrrpRunnerDispatch(
      String interfaceName,
      VrrpRunnerIo io,
      MonotonicClock clock,
      List<Consumer<StateChange>> listeners,
      Runnable onChange,
      Runnable onVipsChanged) {
    this.interfaceName = interfaceName;
    this.io = io;
    this.clock = clock;
    this.listeners = listeners;
    this.onChange = onChange;
    this.onVipsChanged = onVipsChanged;
  }

  /** The instances, and the sync group of each member, for {@link #feed}. */
  void syncGroups(Map<String, VrrpRunnerInstance> byName, Collection<SyncGroup> syncGroups) {
    instances = Map.copyOf(byName);
    Map<String, SyncGroup> byMember = new HashMap<>();
    for (SyncGroup group : syncGroups) {
      byName.keySet().stream()
          .filter(group::contains)
          .forEach(member -> byMember.put(member, group));
    }
    groups = Map.copyOf(byMember);
  }

  /**
   * Feeds one event to an instance and performs the actions; for a member of a sync group, through
   * the group, so the other members follow ({@link SyncGroup#apply}).
   */
  void feed(VrrpRunnerInstance instance, Function<VrrpStateMachine, List<VrrpAction>> event) {
    SyncGroup group = groups.get(instance.name());
    if (group == null) {
      dispatch(instance, event.apply(instance.machine()));
      return;
    }
    group
        .apply(instance.name(), event)
        .forEach((name, list) -> dispatch(instances.get(name), list));
  }

  /**
   * Performs an event's actions in order, except that VIPs are added before anything else: the
   * advert that announces a new master then never reaches a handing-over master, which releases the
   * VIPs on hearing it, before this router holds them.
   */
  void dispatch(VrrpRunnerInstance instance, List<VrrpAction> actions) {
    List<VrrpAction> ordered = new ArrayList<>(actions.size());
    actions.stream().filter(a -> a instanceof AddVips).forEach(ordered::add);
    actions.stream().filter(a -> !(a instanceof AddVips)).forEach(ordered::add);
    String error = null;
    boolean vipsChanged = false;
    for (VrrpAction action : ordered) {
      vipsChanged |= action instanceof AddVips || action instanceof RemoveVips;
      try {
        perform(instance, action);
      } catch (SyscallException | NetlinkException | IllegalStateException e) {
        log.error(
            "vrrp action failed interface={} instance={} action={} error=\"{}\"",
            interfaceName,
            instance.name(),
            action,
            e.getMessage());
        if (error == null) {
          error = action.getClass().getSimpleName() + ": " + e.getMessage();
        }
      }
    }
    instance.snapshot();
    onChange.run();
    if (vipsChanged) {
      onVipsChanged.run();
    }
    if (error != null) {
      ioFault(instance, error);
    }
  }

  private void perform(VrrpRunnerInstance instance, VrrpAction action) {
    if (action instanceof SendAdvertisement advert) {
      io.sendAdvertisement(instance.config(), advert.priority(), advert.interval());
    } else if (action instanceof AddVips add) {
      io.addVips(instance.name(), add.addresses(), instance.added());
    } else if (action instanceof RemoveVips remove) {
      io.removeVips(instance.name(), remove.addresses(), instance.added());
    } else if (action instanceof SendGratuitous garp) {
      io.sendGratuitous(instance.config().virtualAddresses(), garp.count());
    } else if (action instanceof ScheduleAt at) {
      instance.deadline(OptionalLong.of(at.deadlineNanos()));
    } else if (action instanceof CancelTimer) {
      instance.deadline(OptionalLong.empty());
    } else if (action instanceof Publish publish) {
      publish(publish.change());
    } else {
      throw new IllegalArgumentException("unknown VRRP action " + action);
    }
  }

  /** An I/O error: FAULT for the instance (its VIPs go), and a retry later. */
  void ioFault(VrrpRunnerInstance instance, String error) {
    VrrpRole role = instance.machine().role();
    if (instance.inIoFault() || role == VrrpRole.STOPPED || role == VrrpRole.INIT) {
      return;
    }
    instance.ioRetryAt(OptionalLong.of(clock.nanoTime() + VrrpRunner.IO_FAULT_RETRY.toNanos()));
    instance.tracking().ioError(error);
    feed(instance, m -> m.onTracking(instance.tracking().verdict()));
  }

  private void publish(StateChange change) {
    log.info(
        "vrrp published interface={} instance={} from={} to={} reason=\"{}\"",
        interfaceName,
        change.instance(),
        change.from(),
        change.to(),
        change.reason());
    for (Consumer<StateChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.error(
            "vrrp state change listener failed interface={} instance={} listener={}",
            interfaceName,
            change.instance(),
            listener,
            e);
      }
    }
  }
}
