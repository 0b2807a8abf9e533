package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.KubeMock.await;
import static io.kubelvs.agent.kube.TestSets.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch of the pool's VirtualServerSets against fabric8's mock API server in CRUD mode: it asks
 * for its pool's sets only, starts over for another pool, and waits out an API server that is away;
 * and the generation the Directors' references rely on moves as an API server's does.
 */
class VirtualServerSetWatchTest {
  private final KubeMock api = new KubeMock();
  // The agent's client, whose requests are told apart by its user agent, and a user's.
  private final KubernetesClient agent = api.client();
  private final KubernetesClient client =
      new KubernetesClientBuilder().withConfig(api.config()).build();
  private final VirtualServerSetWatch sets = new VirtualServerSetWatch(agent);
  private final AtomicInteger changes = new AtomicInteger();

  @AfterEach
  void close() {
    sets.close();
    agent.close();
    client.close();
    api.close();
  }

  @Test
  void theApiServerMovesASetsGenerationOnEachChangeOfItsSpecOnly() {
    VirtualServerSet created = client.resource(TestSets.set(1, WEB)).create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    VirtualServerSet edited =
        client
            .resources(VirtualServerSet.class)
            .withName(TestSets.SET)
            .edit(s -> withSpec(s, TestSets.servers(WEB, TestSets.API)));
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    VirtualServerSet labelled =
        client
            .resources(VirtualServerSet.class)
            .withName(TestSets.SET)
            .edit(
                s -> {
                  s.getMetadata().getLabels().put("touched", "yes");
                  return s;
                });
    assertThat(labelled.getMetadata().getGeneration()).isEqualTo(2L);

    // As the operator writes a set: a JSON patch of the entries that changed.
    VirtualServerSet patched =
        client
            .resources(VirtualServerSet.class)
            .withName(TestSets.SET)
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\": \"remove\", \"path\": \"/spec/virtualServers/1\"}]");
    assertThat(patched.getSpec().virtualServers()).hasSize(1);
    assertThat(patched.getMetadata().getGeneration()).isEqualTo(3L);
  }

  @Test
  void theSetsOfThePoolAreHeldAndAskedForByThePoolsLabelOnly() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.set("blue.7", "blue", "VI_7", 1, WEB)).create();
    api.takeRequests();

    sets.follow(TestSets.POOL, changes::incrementAndGet);
    await(() -> sets.get(TestSets.SET).isPresent());
    await(sets::synced);
    client.resources(VirtualServerSet.class).withName("blue.7").edit(s -> withSpec(s, List.of()));
    Thread.sleep(300);

    assertThat(sets.get("blue.7")).isEmpty();
    List<String> asked = setRequests();
    assertThat(asked).isNotEmpty();
    assertThat(asked)
        .allSatisfy(path -> assertThat(path).contains("labelSelector=kubelvs.io/pool=seed"));
    int seen = changes.get();
    client
        .resources(VirtualServerSet.class)
        .withName(TestSets.SET)
        .edit(s -> withSpec(s, List.of()));
    await(() -> changes.get() > seen);
    assertThat(sets.get(TestSets.SET).orElseThrow().getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void anotherPoolStartsOverWithThatPoolsSets() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    client.resource(TestSets.set("blue.7", "blue", "VI_7", 1, WEB)).create();
    sets.follow(TestSets.POOL, changes::incrementAndGet);
    await(() -> sets.get(TestSets.SET).isPresent());

    sets.follow("blue", changes::incrementAndGet);
    await(() -> sets.get("blue.7").isPresent());

    assertThat(sets.get(TestSets.SET)).isEmpty();
  }

  @Test
  void followingReturnsAtOnceWithoutAnApiServerAndCatchesUpWhenItReturns() throws Exception {
    client.resource(TestSets.set(1, WEB)).create();
    api.stop();

    long started = System.nanoTime();
    sets.follow(TestSets.POOL, changes::incrementAndGet);
    assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    Thread.sleep(500);
    assertThat(sets.get(TestSets.SET)).isEmpty();

    api.restart();
    await(() -> sets.get(TestSets.SET).isPresent());
    await(() -> changes.get() > 0);
  }

  private static VirtualServerSet withSpec(
      VirtualServerSet set, List<io.kubelvs.api.v1alpha1.VirtualServer> servers) {
    set.setSpec(
        new VirtualServerSetSpec(set.getSpec().poolName(), set.getSpec().instanceName(), servers));
    return set;
  }

  /** The paths of the agent's requests for VirtualServerSets since the last call, decoded. */
  private List<String> setRequests() throws InterruptedException {
    return api.takeRequests().stream()
        .filter(r -> String.valueOf(r.getHeader("User-Agent")).startsWith(AgentClient.USER_AGENT))
        .map(RecordedRequest::getPath)
        .filter(path -> path.contains("/virtualserversets"))
        .map(path -> URLDecoder.decode(path, StandardCharsets.UTF_8))
        .toList();
  }
}
