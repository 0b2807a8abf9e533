package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.Objects;

/** A VirtualService's identity, written {@code namespace/name} as in status and messages. */
public record VirtualServiceKey(String namespace, String name)
    implements Comparable<VirtualServiceKey> {

  public static VirtualServiceKey of(VirtualService vs) {
    return new VirtualServiceKey(vs.getMetadata().getNamespace(), vs.getMetadata().getName());
  }

  /**
   * Parses {@code namespace/name}, the form {@code VipAllocation.virtualServices} stores.
   *
   * @throws IllegalArgumentException when there is no single slash
   */
  public static VirtualServiceKey parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash != text.lastIndexOf('/') || slash == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not namespace/name");
    }
    return new VirtualServiceKey(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public int compareTo(VirtualServiceKey other) {
    // By hand: the planner's maps compare keys millions of times per pass at 5,000 services.
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }

  // equals and hashCode by hand too: a record's go through method handles, and keys are hashed
  // tens of thousands of times per pass.
  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof VirtualServiceKey k
            && Objects.equals(namespace, k.namespace)
            && Objects.equals(name, k.name));
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(namespace) + Objects.hashCode(name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
