package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.EndpointSliceFacts;
import io.kubelvs.operator.plan.NodeFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * One informer per kind the plan and the status read: DirectorPools, VirtualServices (all
 * namespaces), Nodes, EndpointSlices (all namespaces), Directors, VirtualServerSets and the agents'
 * heartbeat Leases.
 *
 * <p>Each event is sorted by what it can change. The plan reads the specs (generation, labels,
 * annotations) of pools and VirtualServices, what {@link NodeFacts} keeps of a Node, what {@link
 * EndpointSliceFacts} keeps of a slice, and the specs of Directors and sets: such a change calls
 * {@code planChanged}. Anything else the status folds in (the agents' Director status and Leases, a
 * status someone else wrote) calls {@code statusChanged} only. The echo of this operator's own
 * write calls nothing: the plan pass that wrote it has a status pass follow, which reads the
 * Directors it wrote back from {@link OwnWrites}.
 */
final class ClusterCache implements AutoCloseable {
  private final SharedIndexInformer<DirectorPool> pools;
  private final SharedIndexInformer<VirtualService> virtualServices;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> endpointSlices;
  private final SharedIndexInformer<Director> directors;
  private final SharedIndexInformer<VirtualServerSet> sets;
  private final SharedIndexInformer<Lease> agentLeases;
  private final List<SharedIndexInformer<?>> all = new ArrayList<>();
  private final Runnable planChanged;
  private final Runnable statusChanged;
  private final OwnWrites own;

  /**
   * Starts the informers and returns once each has listed its kind (its cache is synced).
   *
   * @param agentNamespace where the agents renew their heartbeat Leases
   * @param planChanged called on an event that can change the plan
   * @param statusChanged called on an event that can change only a status
   * @param onAgentLease called on any event of an agent's Lease: a renewal is no change to fold,
   *     unless the agent had gone silent
   * @param own this operator's writes, whose echoes change nothing
   */
  ClusterCache(
      KubernetesClient client,
      String agentNamespace,
      Runnable planChanged,
      Runnable statusChanged,
      Consumer<Lease> onAgentLease,
      OwnWrites own) {
    this.planChanged = planChanged;
    this.statusChanged = statusChanged;
    this.own = own;
    pools = add(client.resources(DirectorPool.class).inform(handler(ClusterCache::specChanged)));
    virtualServices =
        add(
            client
                .resources(VirtualService.class)
                .inAnyNamespace()
                .inform(handler(ClusterCache::specChanged)));
    nodes = add(client.nodes().inform(handler((a, b) -> !NodeFacts.of(a).equals(NodeFacts.of(b)))));
    endpointSlices =
        add(
            client
                .discovery()
                .v1()
                .endpointSlices()
                .inAnyNamespace()
                .inform(
                    handler((a, b) -> !EndpointSliceFacts.of(a).equals(EndpointSliceFacts.of(b)))));
    directors = add(client.resources(Director.class).inform(writtenHandler()));
    sets = add(client.resources(VirtualServerSet.class).inform(writtenHandler()));
    agentLeases =
        add(
            client
                .leases()
                .inNamespace(agentNamespace)
                .withLabel(AgentLeases.NODE_LABEL)
                .inform(leaseHandler(onAgentLease)));
  }

  ClusterSnapshot snapshot() {
    return new ClusterSnapshot(
        pools.getStore().list(),
        virtualServices.getStore().list(),
        nodes.getStore().list(),
        endpointSlices.getStore().list(),
        directors.getStore().list(),
        sets.getStore().list(),
        agentLeases.getStore().list());
  }

  private <T> SharedIndexInformer<T> add(SharedIndexInformer<T> informer) {
    all.add(informer);
    return informer;
  }

  /** Whether the plan reads what changed between two versions of a pool or VirtualService. */
  private static boolean specChanged(HasMetadata a, HasMetadata b) {
    return !Objects.equals(a.getMetadata().getGeneration(), b.getMetadata().getGeneration())
        || !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
        || !Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations())
        || !Objects.equals(
            a.getMetadata().getDeletionTimestamp(), b.getMetadata().getDeletionTimestamp());
  }

  /**
   * Adds and deletes change the plan; an update when {@code planReads} says so, else the status
   * only, and an echo of this operator's own status write nothing.
   */
  private <T extends HasMetadata> ResourceEventHandler<T> handler(BiPredicate<T, T> planReads) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        planChanged.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (planReads.test(oldObj, newObj)) {
          planChanged.run();
        } else if (!own.isEcho(newObj)) {
          statusChanged.run();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        own.deleted(obj);
        planChanged.run();
      }
    };
  }

  /**
   * The spec of a Director or a VirtualServerSet is the plan's own output: written by someone else,
   * the plan must put it back. The spec last planned for it is no news to the plan (the echo of the
   * operator's write, also when the event overtakes the answer, before {@link OwnWrites} knows its
   * resourceVersion); a status change (the agent's) is for the status to fold.
   */
  private <T extends CustomResource<?, ?>> ResourceEventHandler<T> writtenHandler() {
    return handler(
        (a, b) -> !own.isEcho(b) && !own.isPlanned(b) && !Objects.equals(a.getSpec(), b.getSpec()));
  }

  private ResourceEventHandler<Lease> leaseHandler(Consumer<Lease> onEvent) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Lease obj) {
        onEvent.accept(obj);
      }

      @Override
      public void onUpdate(Lease oldObj, Lease newObj) {
        onEvent.accept(newObj);
      }

      @Override
      public void onDelete(Lease obj, boolean deletedFinalStateUnknown) {
        onEvent.accept(obj);
      }
    };
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }
}
