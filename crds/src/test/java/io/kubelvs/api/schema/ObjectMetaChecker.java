package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of {@code metadata} the API server checks on create whatever the CRD says: it decodes
 * into ObjectMeta (so unknown fields are rejected), and it needs a name that is a DNS subdomain.
 */
final class ObjectMetaChecker {

  /** The JSON fields of k8s.io/apimachinery ObjectMeta. */
  private static final Set<String> OBJECT_META_FIELDS =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "selfLink",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "managedFields");

  /** RFC 1123 subdomain, as apimachinery's IsDNS1123Subdomain. */
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final int DNS_1123_SUBDOMAIN_MAX_LENGTH = 253;

  private static final FieldPath METADATA = FieldPath.ROOT.child("metadata");

  private ObjectMetaChecker() {}

  static List<String> check(JsonNode resource) {
    List<String> errors = new ArrayList<>();
    JsonNode metadata = resource.path("metadata");
    metadata
        .properties()
        .forEach(
            field -> {
              if (!OBJECT_META_FIELDS.contains(field.getKey())) {
                errors.add(
                    METADATA
                        .child(field.getKey())
                        .error("unknown field \"" + field.getKey() + "\""));
              }
            });
    JsonNode name = metadata.path("name");
    if (name.isTextual() && !name.asText().isEmpty()) {
      checkName(name.asText(), errors);
    } else if (metadata.path("generateName").asText("").isEmpty()) {
      errors.add(METADATA.child("name").error("Required value: name or generateName is required"));
    }
    return errors;
  }

  private static void checkName(String name, List<String> errors) {
    if (name.length() > DNS_1123_SUBDOMAIN_MAX_LENGTH) {
      errors.add(
          METADATA
              .child("name")
              .error("Invalid value: \"" + name + "\": must be no more than 253 characters"));
    } else if (!DNS_1123_SUBDOMAIN.matcher(name).matches()) {
      errors.add(
          METADATA
              .child("name")
              .error(
                  "Invalid value: \""
                      + name
                      + "\": a lowercase RFC 1123 subdomain must consist of lower case"
                      + " alphanumeric characters, '-' or '.', and must start and end with an"
                      + " alphanumeric character"));
    }
  }
}
