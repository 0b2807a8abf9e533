package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The agent's Kubernetes client. Every request is bounded (connect 5 s, answer 10 s), so that an
 * API server that went away mid-request is noticed and retried instead of waited on for ever, and
 * watches reconnect every second for as long as it takes.
 */
public final class AgentClient {
  /** How the agent's requests show in the API server's audit log. */
  public static final String USER_AGENT = "kubelvs-agent";

  private AgentClient() {}

  /**
   * @param base where the API server is and who the agent is: in-cluster or $KUBECONFIG ({@code
   *     Config.autoConfigure(null)}), or a test's
   */
  public static KubernetesClient create(Config base) {
    Config config =
        new ConfigBuilder(base)
            .withConnectionTimeout(5_000)
            .withRequestTimeout(10_000)
            .withWatchReconnectInterval(1_000)
            .withWatchReconnectLimit(-1)
            .withUserAgent(USER_AGENT)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
