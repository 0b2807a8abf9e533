package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubelvs.api.v1alpha1.Director;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Directors written as YAML, as the API server would hand them to the agent, and mapped. */
final class TestDirectors {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The Secret of the VRRP password the specs here refer to. */
  static final SecretReader SECRETS =
      SecretReader.of("kubelvs-system", Map.of("vrrp-auth", Map.of("password", "571f97b2")));

  /** One VRRP instance on eth0 holding 198.18.0.50, as most tests need one. */
  static final String INSTANCE =
      """
      vrrpInstances:
        - name: VI_1
          interface: {name: eth0}
          vrid: 99
          priority: 100
          version: 2
          advertInterval: 1s
          vips: [198.18.0.50]
      """;

  private TestDirectors() {}

  /** A Director named director-1 for node director-1 with {@code specBody} below its spec. */
  static Director director(String specBody) {
    return parse(yaml(specBody));
  }

  /** The YAML of {@link #director}. */
  static String yaml(String specBody) {
    String indented = specBody.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    return """
        apiVersion: kubelvs.io/v1alpha1
        kind: Director
        metadata:
          name: director-1
        spec:
          nodeName: director-1
          poolName: seed
        """
        + indented
        + "\n";
  }

  /** The VRRP instance above with one virtual server whose body is {@code virtualServer}. */
  static Director withVirtualServer(String virtualServer) {
    return director(withVirtualServerSpec(virtualServer));
  }

  /** The spec body of {@link #withVirtualServer}. */
  static String withVirtualServerSpec(String virtualServer) {
    String item =
        virtualServer
            .lines()
            .map(line -> "    " + line)
            .collect(Collectors.joining("\n"))
            .replaceFirst("^    ", "  - ");
    return INSTANCE + "virtualServers:\n" + item;
  }

  static Director parse(String yaml) {
    try {
      return YAML.readValue(yaml, Director.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Director fromTree(JsonNode tree) {
    try {
      return YAML.treeToValue(tree, Director.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MappedDirector map(Director director) throws DirectorSpecException {
    return DirectorSpecs.map(director, SECRETS, InterfaceResolver.NONE);
  }

  /** The problems the mapping refuses {@code director} with, each as {@code path: message}. */
  static List<String> problems(Director director) {
    return problems(director, InterfaceResolver.NONE);
  }

  static List<String> problems(Director director, InterfaceResolver interfaces) {
    DirectorSpecException refused =
        catchThrowableOfType(
            DirectorSpecException.class, () -> DirectorSpecs.map(director, SECRETS, interfaces));
    assertThat(refused).as("the mapping refuses the spec").isNotNull();
    return refused.problems().stream().map(DirectorSpecProblem::toString).toList();
  }
}
