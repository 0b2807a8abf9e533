package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Groups one pool's VIPs into VRRP instances and picks each instance's preferred master.
 *
 * <p>What the previous plan placed stays: a VIP keeps its instance while the instance's virtual
 * router id is still in the pool's range, the family matches and the instance has room (when
 * maxVipsPerInstance shrank, the oldest VIPs keep their place). An instance keeps its preferred
 * master while that node is in the pool; NotReady does not count as gone, since VRRP already fails
 * over by priority and the node gets its instances back when it returns. If the node left the pool,
 * the instance stays with the node VRRP failed over to (see {@link #rehome}).
 *
 * <p>A new VIP goes, oldest VirtualService first: if pinned (preferredNode), into an instance of
 * that node with room, else a new instance for it. Otherwise into a new instance while the pool has
 * fewer instances of the VIP's family than Ready nodes (so every node masters something:
 * active-active), else into the emptiest instance with room, else into a new instance; a new
 * instance's preferred master is the Ready node that masters the fewest instances. So instances are
 * only ever created on a least loaded node, which keeps masters within one of each other as long as
 * nothing is removed. Removing VirtualServices can leave the spread uneven; the planner does not
 * move other instances to even it out, because moving a master is an outage for its VIPs (stability
 * wins), and new instances fill the gap.
 */
final class InstancePacking {

  /**
   * The most virtual servers one instance carries: the Director's schema allows 1,000 per instance
   * (so that its CEL rules stay within the API server's cost budget).
   */
  static final int MAX_SERVERS_PER_INSTANCE = 1000;

  /** An instance being filled. */
  static final class Slot {
    final int vrid;
    final IpFamily family;
    String preferredMaster;
    final List<IpAddress> vips = new ArrayList<>();
    int servers;

    Slot(int vrid, IpFamily family, String preferredMaster) {
      this.vrid = vrid;
      this.family = family;
      this.preferredMaster = preferredMaster;
    }
  }

  private final PoolSettings pool;
  private final List<PoolMember> members;
  private final Map<Integer, Slot> slots = new TreeMap<>();
  private final Map<IpAddress, Slot> slotOfVip = new HashMap<>();
  private final Map<IpAddress, Problem> problems = new HashMap<>();
  private final Map<IpAddress, String> notes = new HashMap<>();

  /**
   * @param members the pool's nodes, by name
   * @param demands every VIP the pool must carry, in any order
   */
  InstancePacking(
      PoolSettings pool, List<PoolMember> members, PoolMemory memory, List<VipDemand> demands) {
    this.pool = pool;
    this.members = members;
    List<VipDemand> oldestFirst =
        demands.stream()
            .sorted(Comparator.comparing(VipDemand::seniority).thenComparing(VipDemand::vip))
            .toList();
    List<VipDemand> fresh = new ArrayList<>();
    for (VipDemand demand : oldestFirst) {
      if (!keep(demand, memory)) {
        fresh.add(demand);
      }
    }
    rehome(oldestFirst);
    for (VipDemand demand : fresh) {
      place(demand);
    }
    slots.values().forEach(s -> s.vips.sort(Comparator.naturalOrder()));
  }

  /** The instances, by virtual router id; none is empty. */
  List<Slot> slots() {
    return List.copyOf(slots.values());
  }

  Optional<Slot> slotOf(IpAddress vip) {
    return Optional.ofNullable(slotOfVip.get(vip));
  }

  /** VIPs that found no instance, with why. */
  Map<IpAddress, Problem> problems() {
    return problems;
  }

  /** VIPs placed other than their VirtualService asked, with why. */
  Map<IpAddress, String> notes() {
    return notes;
  }

  private boolean keep(VipDemand demand, PoolMemory memory) {
    Optional<Integer> remembered = memory.vridOf(demand.vip());
    if (remembered.isEmpty()) {
      return false;
    }
    int vrid = remembered.get();
    if (vrid < pool.firstVrid()
        || vrid > pool.lastVrid()
        || demand.servers() > MAX_SERVERS_PER_INSTANCE) {
      return false;
    }
    Slot slot = slots.get(vrid);
    String master =
        slot != null ? slot.preferredMaster : memory.preferredMasterOf(vrid).orElse(null);
    IpFamily family = slot != null ? slot.family : demand.family();
    if (family != demand.family()) {
      return false;
    }
    if (slot != null && !hasRoom(slot, demand)) {
      return false;
    }
    String pin = demand.unanimousPin();
    if (pin != null && !pin.equals(master)) {
      // Every user asks for another node: move the VIP there.
      return false;
    }
    if (slot == null) {
      slot = new Slot(vrid, family, master);
      slots.put(vrid, slot);
    }
    add(slot, demand);
    return true;
  }

  /**
   * Gives instances without a usable preferred master one. An instance that never had one (the pool
   * had no nodes) goes to the least loaded node. One whose node left the pool goes to the node VRRP
   * already failed over to, the first Ready node of its priority order, so leaving costs one master
   * change, not two; unless a VirtualService on it still pins the node that left, which gets it
   * back when it returns.
   */
  private void rehome(List<VipDemand> demands) {
    Set<String> names = members.stream().map(PoolMember::name).collect(Collectors.toSet());
    Map<IpAddress, VipDemand> byVip = new HashMap<>();
    demands.forEach(d -> byVip.put(d.vip(), d));
    for (Slot slot : slots.values()) {
      if (slot.preferredMaster == null) {
        slot.preferredMaster = leastLoadedNode();
      } else if (!names.contains(slot.preferredMaster)
          && slot.vips.stream().noneMatch(v -> byVip.get(v).isPinnedTo(slot.preferredMaster))) {
        slot.preferredMaster = failoverNode(slot);
      }
    }
  }

  private String failoverNode(Slot slot) {
    List<PoolMember> order =
        PriorityOrder.of(pool.instanceName(slot.vrid), slot.preferredMaster, members);
    return order.stream()
        .filter(PoolMember::ready)
        .findFirst()
        .or(() -> order.stream().findFirst())
        .map(PoolMember::name)
        .orElse(null);
  }

  private void place(VipDemand demand) {
    if (demand.servers() > MAX_SERVERS_PER_INSTANCE) {
      problems.put(
          demand.vip(),
          Problem.exhausted(
              "TooManyPortsOnVip",
              "the VirtualServices on VIP "
                  + demand.vip()
                  + " have "
                  + demand.servers()
                  + " ports; one VRRP instance carries at most "
                  + MAX_SERVERS_PER_INSTANCE
                  + " virtual servers"));
      return;
    }
    String pin = demand.pin();
    if (pin != null) {
      Optional<Slot> slot = emptiest(demand, pin).or(() -> newSlot(demand.family(), pin));
      if (slot.isPresent()) {
        add(slot.get(), demand);
        return;
      }
      notes.put(
          demand.vip(),
          "preferredNode "
              + pin
              + " could not be honoured: DirectorPool "
              + pool.name()
              + " has no free virtual router id for another instance");
    }
    long ofFamily = slots.values().stream().filter(s -> s.family == demand.family()).count();
    long readyNodes = members.stream().filter(PoolMember::ready).count();
    Optional<Slot> slot =
        ofFamily < Math.max(1, readyNodes)
            ? newSlot(demand.family(), leastLoadedNode())
            : Optional.empty();
    slot =
        slot.or(() -> emptiest(demand, null)).or(() -> newSlot(demand.family(), leastLoadedNode()));
    if (slot.isPresent()) {
      add(slot.get(), demand);
      return;
    }
    problems.put(
        demand.vip(),
        Problem.exhausted(
            "VridsExhausted",
            "DirectorPool "
                + pool.name()
                + " has no free virtual router id in "
                + pool.firstVrid()
                + "–"
                + pool.lastVrid()
                + " and each of its "
                + demand.family()
                + " instances carries maxVipsPerInstance="
                + pool.maxVipsPerInstance()
                + " VIPs or "
                + MAX_SERVERS_PER_INSTANCE
                + " virtual servers"));
  }

  /** The instance with room for the demand and the fewest VIPs (of {@code master}, if set). */
  private Optional<Slot> emptiest(VipDemand demand, String master) {
    return slots.values().stream()
        .filter(s -> s.family == demand.family() && hasRoom(s, demand))
        .filter(s -> master == null || master.equals(s.preferredMaster))
        .min(Comparator.<Slot>comparingInt(s -> s.vips.size()).thenComparingInt(s -> s.vrid));
  }

  private Optional<Slot> newSlot(IpFamily family, String master) {
    for (int vrid = pool.firstVrid(); vrid <= pool.lastVrid(); vrid++) {
      if (!slots.containsKey(vrid)) {
        Slot slot = new Slot(vrid, family, master);
        slots.put(vrid, slot);
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }

  /**
   * The Ready node (any node, if none is Ready) that is preferred master of the fewest instances,
   * the first by name on a tie; null when the pool has no nodes.
   */
  private String leastLoadedNode() {
    List<PoolMember> candidates = members.stream().filter(PoolMember::ready).toList();
    if (candidates.isEmpty()) {
      candidates = members;
    }
    Map<String, Long> loads =
        slots.values().stream()
            .filter(s -> s.preferredMaster != null)
            .collect(Collectors.groupingBy(s -> s.preferredMaster, Collectors.counting()));
    return candidates.stream()
        .min(
            Comparator.<PoolMember>comparingLong(m -> loads.getOrDefault(m.name(), 0L))
                .thenComparing(PoolMember::name))
        .map(PoolMember::name)
        .orElse(null);
  }

  private boolean hasRoom(Slot slot, VipDemand demand) {
    return slot.vips.size() < pool.maxVipsPerInstance()
        && slot.servers + demand.servers() <= MAX_SERVERS_PER_INSTANCE;
  }

  private void add(Slot slot, VipDemand demand) {
    slot.vips.add(demand.vip());
    slot.servers += demand.servers();
    slotOfVip.put(demand.vip(), slot);
  }
}
