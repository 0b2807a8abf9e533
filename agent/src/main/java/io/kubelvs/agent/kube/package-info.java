/**
 * The agent's Kubernetes side: the node's {@code Director} resource as the engine's {@link
 * io.kubelvs.agent.config.NodeConfig}. {@link io.kubelvs.agent.kube.DirectorSpecs} is the mapping,
 * a pure function of the resource, the Secrets it names ({@link
 * io.kubelvs.agent.kube.SecretReader}) and the node's interfaces ({@link
 * io.kubelvs.agent.kube.InterfaceResolver}); it refuses a spec with every problem named by its path
 * in the resource, so nothing half-valid reaches the engine.
 */
package io.kubelvs.agent.kube;
