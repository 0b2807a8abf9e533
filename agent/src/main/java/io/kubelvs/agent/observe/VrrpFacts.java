package io.kubelvs.agent.observe;

import io.kubelvs.agent.engine.VrrpEngine.InstanceStatus;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInstance;
import io.kubelvs.agent.observe.DirectorStatus.VrrpInterface;
import io.kubelvs.agent.vrrp.DropReason;
import io.kubelvs.agent.vrrp.VrrpCounter;
import io.kubelvs.agent.vrrp.VrrpRole;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters.ReceiveDrop;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The VRRP part of a {@link DirectorStatus}, from the engine's published snapshots and the state
 * changes it heard. Drops are counted in three places (the codec, the receive path, the state
 * machine); here they are one map by reason, in lower case: {@code bad_ttl}, {@code unknown_vrid},
 * {@code not_a_peer}, ...
 */
final class VrrpFacts {
  private VrrpFacts() {}

  static VrrpInstance instance(InstanceStatus status, VrrpTransitions transitions) {
    VrrpRunnerCounters counters = status.counters();
    Optional<VrrpTransitions.Last> last =
        transitions.last(status.name()).filter(l -> l.state() == status.role());
    Map<String, Long> entered = new LinkedHashMap<>();
    transitions.entered(status.name()).forEach((role, n) -> entered.put(role.name(), n));
    Map<String, Long> all = new LinkedHashMap<>();
    for (VrrpCounter counter : VrrpCounter.values()) {
      all.put(name(counter), counters.count(counter));
    }
    return new VrrpInstance(
        status.name(),
        status.interfaceName(),
        status.vrid(),
        status.role().name(),
        last.map(l -> l.at().toString()).orElse(null),
        last.map(VrrpTransitions.Last::reason).orElse(null),
        status.priority(),
        status.configuredPriority(),
        counters.count(VrrpCounter.ADVERTS_SENT),
        counters.count(VrrpCounter.ADVERTS_RECEIVED),
        instanceDrops(counters),
        entered,
        all);
  }

  static VrrpInterface unattributed(String interfaceName, VrrpRunnerCounters counters) {
    Map<String, Long> dropped = new LinkedHashMap<>();
    for (DropReason reason : DropReason.values()) {
      if (reason.detectedByDecoder()) {
        dropped.put(name(reason), counters.dropped(reason));
      }
    }
    dropped.put(name(ReceiveDrop.UNKNOWN_VRID), counters.dropped(ReceiveDrop.UNKNOWN_VRID));
    return new VrrpInterface(interfaceName, dropped);
  }

  /** The drops judged once the instance is known: by the receive path or the state machine. */
  private static Map<String, Long> instanceDrops(VrrpRunnerCounters counters) {
    Map<String, Long> dropped = new LinkedHashMap<>();
    dropped.put(name(DropReason.BAD_TTL), counters.dropped(DropReason.BAD_TTL));
    dropped.put(
        name(ReceiveDrop.AUTHENTICATION_MISMATCH),
        counters.dropped(ReceiveDrop.AUTHENTICATION_MISMATCH));
    // Unicast peers are checked on the receive path; the state machine checks them again.
    dropped.put(
        name(ReceiveDrop.NOT_A_PEER),
        counters.dropped(ReceiveDrop.NOT_A_PEER) + counters.count(VrrpCounter.DROPPED_NOT_A_PEER));
    for (VrrpCounter counter : VrrpCounter.values()) {
      if (counter.name().startsWith("DROPPED_") && counter != VrrpCounter.DROPPED_NOT_A_PEER) {
        dropped.put(name(counter).substring("dropped_".length()), counters.count(counter));
      }
    }
    return dropped;
  }

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code role} is the state of the instance: the metric's 1 among 0s. */
  static boolean is(VrrpInstance instance, VrrpRole role) {
    return instance.state().equals(role.name());
  }
}
