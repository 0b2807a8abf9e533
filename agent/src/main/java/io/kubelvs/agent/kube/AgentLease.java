package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubelvs.api.v1alpha1.AgentLeases;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's heartbeat, as the kubelet's node Lease is the kubelet's: a coordination.k8s.io/v1
 * Lease {@code kubelvs-agent-<node>} in the agent's namespace ({@link AgentLeases}), renewed every
 * {@code renewEvery}.
 *
 * <p>Why: a Director's status is what its agent last wrote. An agent that is killed, or whose node
 * dies, leaves MASTER there for ever, and the operator would show the old master beside the new one
 * as split brain. The operator treats a Director whose Lease has run out as not reporting. Writing
 * the whole status every few seconds instead would cost the API server far more: a Director's
 * status carries every virtual server.
 *
 * <p>Renewal failures only log (once per outage): the data plane never waits on the API server.
 */
public final class AgentLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLease.class);

  /**
   * @param renewEvery how often the Lease is renewed
   * @param duration how long after its last renewal the Lease counts as run out
   */
  public record Settings(Duration renewEvery, Duration duration) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final InstantSource clock;
  private final Settings settings;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelvs-agent-lease");
            t.setDaemon(true);
            return t;
          });
  private boolean failing;
  private Lease last;

  private AgentLease(
      KubernetesClient client,
      String namespace,
      String node,
      InstantSource clock,
      Settings settings) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.clock = clock;
    this.settings = settings;
  }

  /** Renews the node's Lease now and then every {@code settings.renewEvery()}. */
  public static AgentLease start(
      KubernetesClient client,
      String namespace,
      String node,
      InstantSource clock,
      Settings settings) {
    AgentLease lease = new AgentLease(client, namespace, node, clock, settings);
    lease.thread.scheduleWithFixedDelay(
        lease::renewQuietly, 0, settings.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  private void renewQuietly() {
    try {
      renew();
      if (failing) {
        LOG.info("agent lease renewed again lease={}/{}", namespace, AgentLeases.name(node));
        failing = false;
      }
    } catch (KubernetesClientException e) {
      if (!failing) {
        LOG.warn(
            "agent lease not renewed, retrying lease={}/{} code={} error=\"{}\"",
            namespace,
            AgentLeases.name(node),
            e.getCode(),
            e.getMessage());
        failing = true;
      }
    }
  }

  /**
   * One renewal: moves renewTime on in the Lease as last written, reading it again only when that
   * write fails (the first time, after a 409 or a 404), and creates it when it does not exist.
   */
  void renew() {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (last != null) {
      try {
        last = client.resource(renewed(last, now)).update();
        return;
      } catch (KubernetesClientException e) {
        last = null;
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
      }
    }
    Lease current = client.leases().inNamespace(namespace).withName(AgentLeases.name(node)).get();
    last =
        current == null
            ? client.resource(fresh(now)).create()
            : client.resource(renewed(current, now)).update();
  }

  private Lease fresh(ZonedDateTime now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(AgentLeases.name(node))
        .withNamespace(namespace)
        .addToLabels(AgentLeases.NODE_LABEL, node)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(node)
        .withLeaseDurationSeconds((int) settings.duration().toSeconds())
        .withAcquireTime(now)
        .withRenewTime(now)
        .endSpec()
        .build();
  }

  private Lease renewed(Lease lease, ZonedDateTime now) {
    return new LeaseBuilder(lease)
        .editMetadata()
        .addToLabels(AgentLeases.NODE_LABEL, node)
        .endMetadata()
        .editSpec()
        .withHolderIdentity(node)
        .withLeaseDurationSeconds((int) settings.duration().toSeconds())
        .withRenewTime(now)
        .endSpec()
        .build();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
