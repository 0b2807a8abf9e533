package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Instances that change state together, as keepalived's {@code vrrp_sync_group}: typically the
 * outside and inside VIPs of one director, which are useless one without the other.
 *
 * <ul>
 *   <li>A member going to FAULT takes the others to FAULT; they come back when no member has a
 *       fault of its own left.
 *   <li>A master going to BACKUP takes the other masters to BACKUP; they send priority 0 on the
 *       way, so the peer router's instances need not wait for their master down timers.
 *   <li>A backup whose master down timer fires becomes master only once every other member is
 *       master or wants to be (keepalived's "wantstate"); it then takes them all to MASTER. Until
 *       then it keeps waiting, which is what stops a group from thrashing when one member still
 *       hears a live master.
 * </ul>
 *
 * Route every event of a member through {@link #apply}: it returns the member's own actions and
 * those the group caused in the others, by instance name.
 */
public final class SyncGroup {

  private final String name;
  private final Map<String, VrrpStateMachine> members = new LinkedHashMap<>();

  public SyncGroup(String name, Collection<VrrpStateMachine> machines) {
    this.name = name;
    for (VrrpStateMachine machine : machines) {
      String instance = machine.config().name();
      if (members.putIfAbsent(instance, machine) != null) {
        throw new IllegalArgumentException("sync group " + name + ": " + instance + " twice");
      }
      machine.masterGate(this::othersReadyForMaster);
    }
  }

  public String name() {
    return name;
  }

  /** Whether {@code instance} is a member. */
  public boolean contains(String instance) {
    return members.containsKey(instance);
  }

  public VrrpStateMachine member(String instance) {
    VrrpStateMachine machine = members.get(instance);
    if (machine == null) {
      throw new IllegalArgumentException("sync group " + name + " has no instance " + instance);
    }
    return machine;
  }

  /**
   * Feeds one event to one member, e.g. {@code apply("outside", m -> m.onLinkChange(false))}, and
   * lets the others follow. The member's own actions come first.
   */
  public Map<String, List<VrrpAction>> apply(
      String instance, Function<VrrpStateMachine, List<VrrpAction>> event) {
    VrrpStateMachine source = member(instance);
    Map<String, List<VrrpAction>> actions = new LinkedHashMap<>();
    List<VrrpAction> own = event.apply(source);
    actions.put(instance, new ArrayList<>(own));
    alignFaults(actions);
    for (VrrpAction action : own) {
      if (action instanceof Publish publish && publish.change().to() == source.role()) {
        follow(source, publish.change(), actions);
      }
    }
    Map<String, List<VrrpAction>> result = new LinkedHashMap<>();
    actions.forEach((member, list) -> result.put(member, List.copyOf(list)));
    return result;
  }

  /** Every member is in FAULT while another member has a fault of its own; none once none has. */
  private void alignFaults(Map<String, List<VrrpAction>> actions) {
    for (VrrpStateMachine member : members.values()) {
      String fault = null;
      for (VrrpStateMachine other : members.values()) {
        Optional<String> own = other == member ? Optional.empty() : other.ownFault();
        if (own.isPresent()) {
          fault = "sync group " + name + ": " + other.config().name() + " " + own.get();
          break;
        }
      }
      add(actions, member, member.onSyncFault(fault));
    }
  }

  /** A master stepping down, or a backup becoming master, takes the others along. */
  private void follow(
      VrrpStateMachine source, StateChange change, Map<String, List<VrrpAction>> actions) {
    String why = "sync group " + name + ": " + change.instance() + " " + change.reason();
    if (change.to() == VrrpRole.BACKUP && change.from() == VrrpRole.MASTER) {
      others(source, actions, m -> m.onSyncBackup(why));
    } else if (change.to() == VrrpRole.MASTER) {
      others(source, actions, m -> m.onSyncMaster(why));
    }
  }

  private boolean othersReadyForMaster(VrrpStateMachine candidate) {
    return members.values().stream()
        .filter(m -> m != candidate)
        .allMatch(VrrpStateMachine::readyForMaster);
  }

  private void others(
      VrrpStateMachine source,
      Map<String, List<VrrpAction>> actions,
      Function<VrrpStateMachine, List<VrrpAction>> event) {
    for (VrrpStateMachine other : members.values()) {
      if (other != source) {
        add(actions, other, event.apply(other));
      }
    }
  }

  private static void add(
      Map<String, List<VrrpAction>> actions, VrrpStateMachine member, List<VrrpAction> more) {
    if (!more.isEmpty()) {
      actions.computeIfAbsent(member.config().name(), k -> new ArrayList<>()).addAll(more);
    }
  }
}
