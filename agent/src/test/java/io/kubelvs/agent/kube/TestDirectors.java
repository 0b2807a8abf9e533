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

  /**
   * The VRRP instance above and one virtual server whose body is {@code virtualServer} in the
   * spec's own list, where servers on no VIP of an instance (firewall marks) go.
   */
  static Director withVirtualServer(String virtualServer) {
    return director(withVirtualServerSpec(virtualServer));
  }

  /** The spec body of {@link #withVirtualServer}. */
  static String withVirtualServerSpec(String virtualServer) {
    return INSTANCE + "virtualServers:\n" + listItem(virtualServer, "  ");
  }

  /**
   * The VRRP instance above with one virtual server on its VIP, whose body is {@code
   * virtualServer}, nested in the instance.
   */
  static Director inInstance(String virtualServer) {
    return director(inInstanceSpec(virtualServer));
  }

  /** The spec body of {@link #inInstance}. */
  static String inInstanceSpec(String virtualServer) {
    return INSTANCE + "    virtualServers:\n" + listItem(virtualServer, "      ");
  }

  /** {@code body} as an entry of a YAML list whose dashes are at {@code indent}. */
  private static String listItem(String body, String indent) {
    return body.lines()
        .map(line -> indent + "  " + line)
        .collect(Collectors.joining("\n"))
        .replaceFirst("^" + indent + "  ", indent + "- ");
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
