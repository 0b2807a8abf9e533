package io.kubelvs.operator.plan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a pool's nodes in one instance: the preferred master first, then the others by
 * rendezvous hashing of (instance, node). Hashing makes the backups differ between instances, so
 * the instances of a failed node fail over to different nodes instead of all to the next by name;
 * and the order depends only on the instance and the node set, never on other VirtualServices.
 */
final class PriorityOrder {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private PriorityOrder() {}

  /**
   * @param members the pool's nodes
   * @param preferredMaster first in the order if it is one of {@code members}
   */
  static List<PoolMember> of(String instance, String preferredMaster, List<PoolMember> members) {
    List<PoolMember> order = new ArrayList<>(members.size());
    members.stream().filter(m -> m.name().equals(preferredMaster)).forEach(order::add);
    members.stream()
        .filter(m -> !m.name().equals(preferredMaster))
        .sorted(
            Comparator.<PoolMember>comparingLong(m -> weight(instance, m.name()))
                .reversed()
                .thenComparing(PoolMember::name))
        .forEach(order::add);
    return order;
  }

  /** FNV-1a over "instance\nnode": fixed by definition, unlike String.hashCode's spread. */
  private static long weight(String instance, String node) {
    long hash = FNV_OFFSET;
    for (byte b : (instance + "\n" + node).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    // Mix the high bits down (FNV's low bits vary little for inputs that differ at the end).
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    return hash;
  }
}
