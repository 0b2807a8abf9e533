/**
 * The agent's Kubernetes side: the node's {@code Director} resource as the engine's {@link
 * io.kubelvs.agent.config.NodeConfig}. {@link io.kubelvs.agent.kube.DirectorSpecs} is the mapping,
 * a pure function of the resource, the Secrets it names ({@link
 * io.kubelvs.agent.kube.SecretReader}) and the node's interfaces ({@link
 * io.kubelvs.agent.kube.InterfaceResolver}); it refuses a spec with every problem named by its path
 * in the resource, so nothing half-valid reaches the engine.
 *
 * <p>A Director's VRRP instances may keep their virtual servers in {@code VirtualServerSet}s, one
 * per instance shared by the pool's nodes, named with the generation the Director needs. {@link
 * io.kubelvs.agent.kube.DirectorSets} resolves those, from the pool's sets {@link
 * io.kubelvs.agent.kube.VirtualServerSetWatch} holds, into the Director before anything else sees
 * it: the mapping, the engine and the copy saved on the node ({@link
 * io.kubelvs.agent.kube.DirectorStore}) know the resolved Director only, and a problem in a set's
 * server is reported at the set's path.
 */
package io.kubelvs.agent.kube;
