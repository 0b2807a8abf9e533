package io.kubelvs.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.RealServerHealth;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanInput;
import io.kubelvs.operator.plan.Planner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The seed sample (pool and the seed-web service, created at generation {@code generation}) planned
 * onto director-1 and director-2, and what their agents could report about it.
 */
final class Seed {
  private static final Path SAMPLES = Path.of(System.getProperty("user.dir"), "..", "samples");

  final DirectorPool pool = read("seed/directorpool.yaml", DirectorPool.class);
  final VirtualService service = read("seed/virtualservice.yaml", VirtualService.class);
  final Plan plan;

  Seed(long generation) {
    pool.getMetadata().setGeneration(1L);
    service.getMetadata().setGeneration(generation);
    service.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    plan =
        Planner.plan(
            new PlanInput(
                List.of(pool),
                List.of(service),
                List.of(node("director-1", "198.18.100.1"), node("director-2", "198.18.100.2")),
                List.of(),
                Allocations.none()));
  }

  DirectorSpec spec(String node) {
    return plan.directors().get(node);
  }

  /** The Director of {@code node} at generation 1, not reported on yet. */
  DirectorView unreported(String node) {
    return new DirectorView(node, 1, spec(node), null);
  }

  /**
   * The Director of {@code node} at generation 1, its agent running it with the instance in {@code
   * state} and the real servers in {@code down} failing their check.
   */
  DirectorView reported(String node, VrrpState state, Set<String> down) {
    DirectorSpec spec = spec(node);
    List<VrrpInstanceStatus> instances =
        spec.vrrpInstances().stream()
            .map(i -> new VrrpInstanceStatus(i.name(), state, null, i.priority(), null, null))
            .toList();
    List<VirtualServerStatus> servers =
        serverStatuses(spec.allVirtualServers(), r -> !down.contains(r.address()), () -> false);
    Condition applied =
        new Condition("Applied", ConditionStatus.True, 1L, "2026-01-01T00:00:00Z", "Applied", "ok");
    return new DirectorView(
        node,
        1,
        spec,
        new DirectorStatus(1L, null, instances.size(), null, instances, servers, List.of(applied)));
  }

  static final String SET = "seed.99";

  /** A planned Director spec whose single instance names {@link #SET} instead of its servers. */
  static DirectorSpec namingTheSet(DirectorSpec planned) {
    return new DirectorSpec(
        planned.nodeName(),
        planned.poolName(),
        List.of(planned.vrrpInstances().get(0).withServers(null, new VirtualServerSetRef(SET, 1L))),
        planned.virtualServers(),
        planned.notification());
  }

  /** {@link #SET} at {@code generation}, holding {@code servers} of the seed's instance. */
  static VirtualServerSet set(long generation, List<VirtualServer> servers) {
    VirtualServerSet set = new VirtualServerSet();
    set.setMetadata(new ObjectMetaBuilder().withName(SET).withGeneration(generation).build());
    set.setSpec(new VirtualServerSetSpec("seed", "seed-99", servers));
    return set;
  }

  /**
   * What an agent reports of each virtual server: a real server healthy where {@code healthy} says
   * (else failing with HTTP 503), the sorry server active where {@code sorry} says.
   */
  static List<VirtualServerStatus> serverStatuses(
      List<VirtualServer> servers, Predicate<RealServer> healthy, BooleanSupplier sorry) {
    return servers.stream()
        .map(
            v ->
                new VirtualServerStatus(
                    v.name(),
                    v.realServers().stream()
                        .map(
                            r -> {
                              boolean up = healthy.test(r);
                              return new RealServerHealth(
                                  r.address(), r.port(), up, 1, up ? null : "HTTP 503", null);
                            })
                        .toList(),
                    sorry.getAsBoolean(),
                    true,
                    null))
        .toList();
  }

  private static NodeFacts node(String name, String address) {
    return new NodeFacts(name, Map.of("kubelvs.io/pool", "seed"), List.of(address), true);
  }

  private static <T> T read(String sample, Class<T> type) {
    try {
      return Serialization.unmarshal(Files.readString(SAMPLES.resolve(sample)), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
