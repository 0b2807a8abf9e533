package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks Kubernetes manifests against CustomResourceDefinitions the way kube-apiserver does on
 * create ({@code kubectl create --validate=strict}), without an API server: unknown fields,
 * ObjectMeta, defaulting, the OpenAPI v3 schema, list-type uniqueness and CEL validation rules.
 *
 * <pre>{@code
 * CrdValidator crds = CrdValidator.load(Path.of("target/classes/META-INF/fabric8/x.yml"));
 * ValidationResult result = crds.validate(manifest);
 * assertThat(result.errors()).containsExactly("spec.port: Invalid value: 0: ...");
 * }</pre>
 *
 * <p>Every error starts with the offending field path ({@code spec.servers[1].port}; {@code <root>}
 * for the object itself).
 */
public final class CrdValidator {

  /** Whether instances live in a namespace ({@code spec.scope} of the CRD). */
  public enum Scope {
    NAMESPACED,
    CLUSTER
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<CustomResourceVersion, ResourceValidator> validators;

  private CrdValidator(Map<CustomResourceVersion, ResourceValidator> validators) {
    this.validators = validators;
  }

  /**
   * @throws InvalidCrdException if the API server would refuse the CRD, e.g. a rule that does not
   *     compile
   */
  public static CrdValidator load(Path crdYaml) {
    return load(List.of(crdYaml));
  }

  /**
   * Loads every CustomResourceDefinition in the files (multi-document YAML is fine); a manifest is
   * then checked against the one its apiVersion group and kind select.
   *
   * @throws InvalidCrdException if the API server would refuse one of the CRDs
   */
  public static CrdValidator load(List<Path> crdYamls) {
    Map<CustomResourceVersion, ResourceValidator> validators = new LinkedHashMap<>();
    for (Path file : crdYamls) {
      for (JsonNode crd : readYaml(file)) {
        for (CustomResourceVersion version : CustomResourceVersion.of(crd)) {
          validators.put(version, new ResourceValidator(version));
        }
      }
    }
    return new CrdValidator(validators);
  }

  /** Every non-empty document of a YAML file. */
  public static List<JsonNode> readYaml(Path file) {
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      return documents.readAll().stream().filter(d -> d != null && !d.isNull()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read YAML from " + file, e);
    }
  }

  public ValidationResult validate(JsonNode manifest) {
    List<String> errors = new ArrayList<>();
    resolve(manifest, errors).ifPresent(validator -> errors.addAll(validator.validate(manifest)));
    return new ValidationResult(errors);
  }

  /** The single document of {@code manifestYaml}, validated. */
  public ValidationResult validate(Path manifestYaml) {
    List<JsonNode> documents = readYaml(manifestYaml);
    if (documents.size() != 1) {
      throw new IllegalArgumentException(
          manifestYaml + " holds " + documents.size() + " documents, expected one");
    }
    return validate(documents.get(0));
  }

  /**
   * The manifest as the API server goes on to validate it: unknown fields pruned, nulls the schema
   * does not allow removed, defaults applied.
   *
   * @throws IllegalArgumentException if no loaded CRD serves the manifest's apiVersion and kind
   */
  public JsonNode applyDefaults(JsonNode manifest) {
    List<String> errors = new ArrayList<>();
    return resolve(manifest, errors)
        .orElseThrow(() -> new IllegalArgumentException(String.join("; ", errors)))
        .defaulted(manifest);
  }

  /** The scope of the CRD that serves the manifest's apiVersion and kind, if one is loaded. */
  public Optional<Scope> scopeOf(JsonNode manifest) {
    return servingVersion(manifest, new ArrayList<>()).map(CustomResourceVersion::scope);
  }

  private Optional<ResourceValidator> resolve(JsonNode manifest, List<String> errors) {
    return servingVersion(manifest, errors).map(validators::get);
  }

  /** The CRD version the manifest addresses, or the errors saying why there is none. */
  private Optional<CustomResourceVersion> servingVersion(JsonNode manifest, List<String> errors) {
    FieldPath apiVersionPath = FieldPath.ROOT.child("apiVersion");
    FieldPath kindPath = FieldPath.ROOT.child("kind");
    String apiVersion = manifest.path("apiVersion").asText("");
    String kind = manifest.path("kind").asText("");
    if (!manifest.isObject() || apiVersion.isEmpty() || kind.isEmpty()) {
      errors.add((apiVersion.isEmpty() ? apiVersionPath : kindPath).error("Required value"));
      return Optional.empty();
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    List<CustomResourceVersion> ofGroup =
        validators.keySet().stream().filter(v -> v.group().equals(group)).toList();
    List<CustomResourceVersion> ofKind =
        ofGroup.stream().filter(v -> v.kind().equals(kind)).toList();
    List<CustomResourceVersion> served =
        ofKind.stream().filter(CustomResourceVersion::served).toList();
    Optional<CustomResourceVersion> version =
        served.stream().filter(v -> v.apiVersion().equals(apiVersion)).findFirst();
    if (ofGroup.isEmpty()) {
      errors.add(
          apiVersionPath.error(
              "Invalid value: \""
                  + apiVersion
                  + "\": no CustomResourceDefinition loaded for group \""
                  + group
                  + "\""));
    } else if (ofKind.isEmpty()) {
      errors.add(
          kindPath.error(
              "Unsupported value: \""
                  + kind
                  + "\": supported values: "
                  + quoted(ofGroup, v -> v.kind())));
    } else if (version.isEmpty()) {
      errors.add(
          apiVersionPath.error(
              "Unsupported value: \""
                  + apiVersion
                  + "\": supported values: "
                  + quoted(served, CustomResourceVersion::apiVersion)));
    }
    return version;
  }

  private static String quoted(
      List<CustomResourceVersion> versions, Function<CustomResourceVersion, String> name) {
    return versions.stream()
        .map(name)
        .distinct()
        .map(n -> "\"" + n + "\"")
        .collect(Collectors.joining(", "));
  }
}
