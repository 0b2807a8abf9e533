package io.kubelvs.agent.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * VirtualServerSets as the operator writes them, for the pool and the instance of {@link
 * TestDirectors}: pool {@code seed}, instance VI_1 (VRID 99, VIP 198.18.0.50), so set {@code
 * seed.99}.
 */
final class TestSets {
  static final String POOL = "seed";
  static final String SET = "seed.99";

  /** A virtual server on VI_1's VIP, planned from VirtualService lab/web, with one real server. */
  static final String WEB =
      "{name: lab/web/80-tcp, owner: {namespace: lab, name: web}, vip: 198.18.0.50, port: 80,"
          + " scheduler: rr,"
          + " realServers: [{address: 198.18.0.101, port: 80}]}";

  /** Another one on VI_1's VIP. */
  static final String API =
      "{name: lab/api/443-tcp, vip: 198.18.0.50, port: 443, scheduler: rr,"
          + " realServers: [{address: 198.18.0.102, port: 443}]}";

  private TestSets() {}

  /**
   * The spec body of a Director whose VI_1 names {@link #SET} at {@code generation} and carries
   * {@code inline} virtual servers of its own (YAML flow maps).
   */
  static String namingSpec(long generation, String... inline) {
    String body =
        TestDirectors.INSTANCE
            + "    virtualServerSet: {name: "
            + SET
            + ", generation: "
            + generation
            + "}\n";
    if (inline.length > 0) {
      body +=
          "    virtualServers:\n"
              + Arrays.stream(inline).map(vs -> "      - " + vs).collect(Collectors.joining("\n"))
              + "\n";
    }
    return body;
  }

  /** The Director director-1 of {@link #namingSpec}. */
  static Director naming(long generation, String... inline) {
    return TestDirectors.director(namingSpec(generation, inline));
  }

  /** Set {@link #SET} of VI_1 of the pool, at {@code generation}, with {@code servers}. */
  static VirtualServerSet set(long generation, String... servers) {
    return set(SET, POOL, "VI_1", generation, servers);
  }

  /** A set as the operator writes it: labelled with its pool. */
  static VirtualServerSet set(
      String name, String pool, String instance, long generation, String... servers) {
    VirtualServerSet set = new VirtualServerSet();
    set.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .addToLabels(VirtualServerSetWatch.POOL_LABEL, pool)
            .withGeneration(generation)
            .build());
    set.setSpec(new VirtualServerSetSpec(pool, instance, servers(servers)));
    return set;
  }

  static List<VirtualServer> servers(String... servers) {
    return Arrays.stream(servers).map(TestSets::server).toList();
  }

  private static VirtualServer server(String yaml) {
    try {
      return TestDirectors.YAML.readValue(yaml, VirtualServer.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
