package io.kubelvs.api.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * deploy/'s manifests as a cluster gets them: rendered by {@code kubectl kustomize} (what {@code
 * kubectl apply -k} runs), each document read into fabric8's typed model, refusing any field the
 * model does not know (a misspelt or misplaced key would otherwise be dropped by the API server, or
 * kept by fabric8 in an {@code additionalProperties} map and never looked at).
 */
public final class Manifests {
  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  private Manifests() {}

  /** The repository's root: the folder holding crds/ and deploy/, from any module's tests. */
  public static Path repo() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("deploy")) && Files.isDirectory(d.resolve("crds"))) {
        return d;
      }
    }
    throw new IllegalStateException("no deploy/ and crds/ above " + dir);
  }

  /** deploy/base and every overlay under deploy/overlays, as paths relative to the repository. */
  public static List<String> kustomizations() {
    List<String> dirs = new ArrayList<>(List.of("deploy/base"));
    try (var overlays = Files.list(repo().resolve("deploy/overlays"))) {
      overlays
          .filter(d -> Files.exists(d.resolve("kustomization.yaml")))
          .map(d -> "deploy/overlays/" + d.getFileName())
          .sorted()
          .forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dirs;
  }

  /** The kustomization in {@code dir} (relative to the repository), rendered and loaded. */
  public static List<HasMetadata> render(String dir) {
    return load(kustomize(repo().resolve(dir)));
  }

  /** {@code kubectl kustomize DIR}'s output; fails with kubectl's message when it refuses. */
  public static String kustomize(Path dir) {
    try {
      Path out = Files.createTempFile("kustomize", ".yaml");
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        Process p =
            new ProcessBuilder("kubectl", "kustomize", dir.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
          throw new AssertionError(
              "kubectl kustomize " + dir + " failed: " + Files.readString(err).strip());
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run kubectl (Debian package kubectl; .ci/run installs it): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Every document of {@code yaml} as its fabric8 model class; fails on a kind fabric8 has no class
   * for, and on any field the class does not hold.
   */
  public static List<HasMetadata> load(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        KubernetesResource typed =
            Serialization.jsonMapper().treeToValue(doc, KubernetesResource.class);
        String what = doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
        if (!(typed instanceof HasMetadata object) || typed instanceof GenericKubernetesResource) {
          throw new AssertionError(
              what + " (" + doc.path("apiVersion").asText() + "): no fabric8 model class");
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(typed, what, unknown);
        JsonNode back = Serialization.jsonMapper().valueToTree(typed);
        droppedFields(doc, back, what, unknown);
        if (!unknown.isEmpty()) {
          throw new AssertionError("fields " + object.getKind() + " does not have: " + unknown);
        }
        objects.add(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /**
   * Fields fabric8 kept aside in an {@code additionalProperties} map, anywhere in {@code model}.
   */
  static void unknownFields(Object model, String path, List<String> unknown) {
    if (model == null) {
      return;
    }
    if (model instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (model instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (!model.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : model.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(model);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(getter + " failed", e);
      }
      String field = decapitalize(getter.getName().substring(3));
      if (field.equals("additionalProperties") && value instanceof Map<?, ?> extra) {
        extra.keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        unknownFields(value, path + "." + field, unknown);
      }
    }
  }

  /** Fields of the document the model dropped on reading (back is the model written again). */
  static void droppedFields(JsonNode doc, JsonNode back, String path, List<String> unknown) {
    if (doc instanceof ObjectNode object) {
      object
          .fieldNames()
          .forEachRemaining(
              f -> {
                JsonNode value = object.get(f);
                if (!back.has(f)) {
                  if (!value.isNull()) {
                    unknown.add(path + "." + f);
                  }
                } else {
                  droppedFields(value, back.get(f), path + "." + f, unknown);
                }
              });
    } else if (doc.isArray() && back.isArray()) {
      for (int i = 0; i < doc.size() && i < back.size(); i++) {
        droppedFields(doc.get(i), back.get(i), path + "[" + i + "]", unknown);
      }
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
