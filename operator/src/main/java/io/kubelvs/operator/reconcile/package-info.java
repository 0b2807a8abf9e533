/**
 * The operator's reconcile loop: informers on DirectorPools, VirtualServices, Nodes, EndpointSlices
 * and Directors; on any change, plan the whole cluster ({@code plan}) and write only what differs:
 * Directors (spec and owner, never their status) and the status of pools and VirtualServices (never
 * their spec). See {@link io.kubelvs.operator.reconcile.ClusterReconciler} for why it is one loop
 * rather than a java-operator-sdk reconciler per resource.
 */
package io.kubelvs.operator.reconcile;
