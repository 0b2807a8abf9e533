package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One informer per kind the plan and the status read: DirectorPools, VirtualServices (all
 * namespaces), Nodes, EndpointSlices (all namespaces), Directors and the agents' heartbeat Leases.
 * Any event of any of them calls {@code onChange}; what changed does not matter, because every pass
 * plans the whole cluster.
 */
final class ClusterCache implements AutoCloseable {
  private final SharedIndexInformer<DirectorPool> pools;
  private final SharedIndexInformer<VirtualService> virtualServices;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> endpointSlices;
  private final SharedIndexInformer<Director> directors;
  private final SharedIndexInformer<Lease> agentLeases;
  private final List<SharedIndexInformer<?>> all = new ArrayList<>();

  /**
   * Starts the informers and returns once each has listed its kind (its cache is synced).
   *
   * @param agentNamespace where the agents renew their heartbeat Leases
   * @param onChange called on any event of what the plan reads
   * @param onAgentLease called on any event of an agent's Lease: a renewal is no change to plan
   *     for, unless the agent had gone silent
   */
  ClusterCache(
      KubernetesClient client,
      String agentNamespace,
      Runnable onChange,
      Consumer<Lease> onAgentLease) {
    pools = add(client.resources(DirectorPool.class).inform(handler(onChange)));
    virtualServices =
        add(client.resources(VirtualService.class).inAnyNamespace().inform(handler(onChange)));
    nodes = add(client.nodes().inform(handler(onChange)));
    endpointSlices =
        add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(handler(onChange)));
    directors = add(client.resources(Director.class).inform(handler(onChange)));
    agentLeases =
        add(
            client
                .leases()
                .inNamespace(agentNamespace)
                .withLabel(AgentLeases.NODE_LABEL)
                .inform(handler(onAgentLease)));
  }

  ClusterSnapshot snapshot() {
    return new ClusterSnapshot(
        pools.getStore().list(),
        virtualServices.getStore().list(),
        nodes.getStore().list(),
        endpointSlices.getStore().list(),
        directors.getStore().list(),
        agentLeases.getStore().list());
  }

  private <T> SharedIndexInformer<T> add(SharedIndexInformer<T> informer) {
    all.add(informer);
    return informer;
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Runnable onChange) {
    return handler((T obj) -> onChange.run());
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> onEvent) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onEvent.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onEvent.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onEvent.accept(obj);
      }
    };
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }
}
