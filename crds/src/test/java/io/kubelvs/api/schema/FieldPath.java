package io.kubelvs.api.schema;

/**
 * A path to a field, printed the way apimachinery's {@code field.Path} prints it in API errors:
 * {@code spec.servers[0].port} for fields and list items, {@code spec.labels[app]} for map keys.
 */
record FieldPath(String text) {

  static final FieldPath ROOT = new FieldPath("");

  FieldPath child(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  /** This path followed by {@code relative}, a path that starts where this one ends. */
  FieldPath append(FieldPath relative) {
    if (relative.text.isEmpty() || text.isEmpty()) {
      return text.isEmpty() ? relative : this;
    }
    return new FieldPath(
        relative.text.startsWith("[") ? text + relative.text : text + "." + relative.text);
  }

  /**
   * Prefixes {@code detail} with this path, the form every error of a {@link ValidationResult} has.
   */
  String error(String detail) {
    return this + ": " + detail;
  }

  @Override
  public String toString() {
    return text.isEmpty() ? "<root>" : text;
  }
}
