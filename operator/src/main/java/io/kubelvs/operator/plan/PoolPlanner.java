package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Plans one pool once its VirtualServices have their VIPs and survived the conflict check: packs
 * the VIPs into instances, orders the nodes of each instance, and writes every node's Director.
 */
final class PoolPlanner {

  /** What one pool contributes to the plan. */
  record Result(
      Map<String, DirectorSpec> directors,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes,
      List<PoolNode> nodes,
      List<VipAllocation> allocations,
      List<Problem> problems) {}

  private PoolPlanner() {}

  /**
   * @param requests the pool's VirtualServices still standing, oldest first
   * @param vips the VIP of each port service
   * @param virtualServers builds a request's virtual servers at its VIP (null for a firewall mark)
   */
  static Result plan(
      PoolSettings pool,
      List<PoolMember> members,
      PoolMemory memory,
      List<ServiceRequest> requests,
      Map<VirtualServiceKey, IpAddress> vips,
      BiFunction<ServiceRequest, IpAddress, VirtualServers.Built> virtualServers) {
    Map<IpAddress, List<ServiceRequest>> users = new LinkedHashMap<>();
    for (ServiceRequest request : requests) {
      IpAddress vip = vips.get(request.key());
      if (vip != null) {
        users.computeIfAbsent(vip, v -> new ArrayList<>()).add(request);
      }
    }
    List<VipDemand> demands =
        users.entrySet().stream().map(e -> new VipDemand(e.getKey(), e.getValue())).toList();
    InstancePacking packing = new InstancePacking(pool, members, memory, demands);
    Map<Integer, PlannedInstance> instances = new TreeMap<>();
    for (InstancePacking.Slot slot : packing.slots()) {
      String name = pool.instanceName(slot.vrid);
      instances.put(
          slot.vrid,
          new PlannedInstance(
              name,
              slot.vrid,
              slot.family,
              slot.preferredMaster,
              PriorityOrder.of(name, slot.preferredMaster, members),
              slot.vips));
    }

    Map<VirtualServiceKey, VirtualServiceOutcome> outcomes = new TreeMap<>();
    // By instance name; the servers of no instance (firewall marks) under null.
    Map<String, List<VirtualServer>> servers = new HashMap<>();
    Set<String> memberNames = members.stream().map(PoolMember::name).collect(Collectors.toSet());
    for (ServiceRequest request : requests) {
      IpAddress vip = vips.get(request.key());
      Problem exhausted = vip == null ? null : packing.problems().get(vip);
      if (exhausted != null) {
        outcomes.put(request.key(), new VirtualServiceOutcome.Rejected(request.key(), exhausted));
        continue;
      }
      PlannedInstance instance =
          vip == null ? null : instances.get(packing.slotOf(vip).orElseThrow().vrid);
      VirtualServers.Built built = virtualServers.apply(request, vip);
      servers
          .computeIfAbsent(instance == null ? null : instance.name(), n -> new ArrayList<>())
          .addAll(built.servers());
      List<String> notes = new ArrayList<>();
      if (request.preferredNode() != null && !memberNames.contains(request.preferredNode())) {
        notes.add(
            "preferredNode "
                + request.preferredNode()
                + " is not a node of DirectorPool "
                + pool.name());
      }
      Optional.ofNullable(vip).map(packing.notes()::get).ifPresent(notes::add);
      notes.addAll(built.notes());
      outcomes.put(request.key(), planned(request, pool, vip, instance, notes));
    }
    servers.values().forEach(list -> list.sort(Comparator.comparing(VirtualServer::name)));

    List<PlannedInstance> ordered = List.copyOf(instances.values());
    Map<String, DirectorSpec> directors = new TreeMap<>();
    for (PoolMember member : members) {
      directors.put(member.name(), DirectorSpecs.of(pool, member, members, ordered, servers));
    }
    return new Result(
        directors,
        outcomes,
        members.stream().map(PoolPlanner::poolNode).toList(),
        allocations(ordered, users, outcomes),
        peerProblems(pool, members, ordered));
  }

  private static VirtualServiceOutcome planned(
      ServiceRequest request,
      PoolSettings pool,
      IpAddress vip,
      PlannedInstance instance,
      List<String> notes) {
    return new VirtualServiceOutcome.Planned(
        request.key(),
        pool.name(),
        vip == null ? null : vip.toString(),
        instance == null ? null : instance.name(),
        instance == null ? null : instance.vrid(),
        instance == null ? null : instance.preferredMaster(),
        instance == null ? null : instance.plannedMaster(),
        notes);
  }

  /** Every VIP with its instance and the VirtualServices placed on it, by address. */
  private static List<VipAllocation> allocations(
      List<PlannedInstance> instances,
      Map<IpAddress, List<ServiceRequest>> users,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    Map<IpAddress, VipAllocation> byVip = new TreeMap<>();
    for (PlannedInstance instance : instances) {
      for (IpAddress vip : instance.vips()) {
        List<String> placed =
            users.get(vip).stream()
                .map(ServiceRequest::key)
                .filter(k -> outcomes.get(k) instanceof VirtualServiceOutcome.Planned)
                .sorted()
                .map(VirtualServiceKey::toString)
                .toList();
        byVip.put(
            vip,
            new VipAllocation(
                vip.toString(),
                instance.name(),
                instance.vrid(),
                instance.preferredMaster(),
                placed));
      }
    }
    return List.copyOf(byVip.values());
  }

  /** A unicast instance cannot reach a node that has no InternalIP of its family. */
  private static List<Problem> peerProblems(
      PoolSettings pool, List<PoolMember> members, List<PlannedInstance> instances) {
    if (!pool.unicast()) {
      return List.of();
    }
    Set<IpFamily> families =
        instances.stream().map(PlannedInstance::family).collect(Collectors.toSet());
    List<Problem> problems = new ArrayList<>();
    for (PoolMember member : members) {
      for (IpFamily family : IpFamily.values()) {
        if (families.contains(family) && member.address(family).isEmpty()) {
          problems.add(
              Problem.invalid(
                  "NoPeerAddress",
                  "node "
                      + member.name()
                      + " has no "
                      + family
                      + " InternalIP, so the other nodes cannot send it unicast adverts of the"
                      + " pool's "
                      + family
                      + " instances"));
        }
      }
    }
    return problems;
  }

  private static PoolNode poolNode(PoolMember member) {
    return new PoolNode(
        member.name(),
        member.addresses().stream().findFirst().map(IpAddress::toString).orElse(null),
        member.ready());
  }
}
