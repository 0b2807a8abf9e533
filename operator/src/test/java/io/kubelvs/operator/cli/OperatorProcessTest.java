package io.kubelvs.operator.cli;

import static io.kubelvs.operator.reconcile.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.operator.reconcile.KubeMock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two operator processes on one mock API server: one Lease, one writer, probes that say which. */
class OperatorProcessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final KubeMock kube = new KubeMock();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final AtomicBoolean lost = new AtomicBoolean();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    kube.close();
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
    kube.addNode("director-1", "seed", "198.18.100.1");
    kube.applySample("seed/directorpool.yaml");
    kube.applySample("seed/virtualservice.yaml");

    OperatorProcess first = start("operator-a");
    eventually(() -> assertThat(first.ready()).isTrue());
    eventually(
        () -> assertThat(kube.admin().resources(Director.class).list().getItems()).hasSize(1));
    assertThat(holder()).isEqualTo("operator-a");
    assertThat(get(first, "/readyz")).isEqualTo(200);

    OperatorProcess second = start("operator-b");
    assertThat(second.ready()).isFalse();
    assertThat(get(second, "/readyz")).isEqualTo(503);
    assertThat(get(second, "/healthz")).isEqualTo(200);

    first.close();

    eventually(() -> assertThat(second.ready()).isTrue());
    assertThat(holder()).isEqualTo("operator-b");
    assertThat(lost).isFalse();
  }

  @Test
  void metricsCountPassesAndWrites() throws Exception {
    kube.addNode("director-1", "seed", "198.18.100.1");
    kube.applySample("seed/directorpool.yaml");
    kube.applySample("seed/virtualservice.yaml");

    OperatorProcess process = start("operator-a");
    eventually(() -> assertThat(process.ready()).isTrue());

    eventually(
        () -> {
          String metrics = body(process, "/metrics");
          assertThat(metrics).contains("kubelvs_operator_reconcile_seconds_count");
          assertThat(metrics).contains("kubelvs_operator_planned_directors 1.0");
          assertThat(metrics)
              .contains(
                  "kubelvs_operator_writes_total{kind=\"Director\",outcome=\"ok\",verb=\"create\"}"
                      + " 1.0",
                  "kubelvs_operator_writes_total{kind=\"VirtualServerSet\",outcome=\"ok\","
                      + "verb=\"create\"} 1.0");
        });
  }

  private OperatorProcess start(String identity) throws IOException {
    KubernetesClient client = kube.client();
    opened.add(client);
    OperatorProcess process =
        new OperatorProcess(
            client,
            new OperatorProcess.Settings(
                "kubelvs-system",
                "kubelvs-operator",
                identity,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                true,
                Duration.ofSeconds(3),
                Duration.ofSeconds(2),
                Duration.ofMillis(100)),
            Clock.systemUTC(),
            () -> lost.set(true));
    opened.add(process);
    process.start();
    return process;
  }

  private String holder() {
    Lease lease =
        kube.admin().leases().inNamespace("kubelvs-system").withName("kubelvs-operator").get();
    return lease.getSpec().getHolderIdentity();
  }

  private static int get(OperatorProcess process, String path) throws Exception {
    return send(process, path).statusCode();
  }

  private static String body(OperatorProcess process, String path) {
    try {
      return send(process, path).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> send(OperatorProcess process, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.probePort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
