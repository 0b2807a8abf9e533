package io.kubelvs.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What must be written to make the VirtualServerSets the plan's: those to create, those whose spec,
 * labels or owner differ, and, once no Director names them any more, those to delete. As with
 * Directors, only differences are written and only sets a pool owns are deleted.
 *
 * @param create new sets, metadata and spec
 * @param update sets to rewrite: as cached, and as planned
 * @param delete names of sets the plan has no more
 */
record SetChanges(List<VirtualServerSet> create, List<Update> update, List<String> delete) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * One set to rewrite.
   *
   * @param cached as the informer holds it (its resourceVersion is the write's precondition)
   * @param planned metadata and spec as planned
   */
  record Update(VirtualServerSet cached, VirtualServerSet planned) {}

  SetChanges {
    create = List.copyOf(create);
    update = List.copyOf(update);
    delete = List.copyOf(delete);
  }

  boolean isEmpty() {
    return create.isEmpty() && update.isEmpty() && delete.isEmpty();
  }

  static SetChanges between(
      SortedMap<String, VirtualServerSet> desired, Collection<VirtualServerSet> existing) {
    return between(desired, existing, PassMemo.none());
  }

  /** {@link #between}, reusing last pass's comparison of the same planned and cached objects. */
  static SetChanges between(
      SortedMap<String, VirtualServerSet> desired,
      Collection<VirtualServerSet> existing,
      PassMemo memo) {
    Map<String, VirtualServerSet> byName = new TreeMap<>(VirtualServerSets.byName(existing));
    List<VirtualServerSet> create = new ArrayList<>();
    List<Update> update = new ArrayList<>();
    desired.forEach(
        (name, want) -> {
          VirtualServerSet have = byName.get(name);
          if (have == null) {
            create.add(want);
          } else if (memo.<Boolean>get(
              "set-differs/" + name, null, () -> differs(want, have), want, have)) {
            update.add(new Update(have, want));
          }
        });
    List<String> delete =
        byName.values().stream()
            .filter(s -> !desired.containsKey(s.getMetadata().getName()))
            .filter(DirectorChanges::ownedByAnyPool)
            .map(s -> s.getMetadata().getName())
            .toList();
    return new SetChanges(create, update, delete);
  }

  private static boolean differs(VirtualServerSet want, VirtualServerSet have) {
    return !Objects.equals(want.getSpec(), have.getSpec())
        || !Objects.equals(
            want.getMetadata().getOwnerReferences(), have.getMetadata().getOwnerReferences())
        || !labels(have).entrySet().containsAll(labels(want).entrySet());
  }

  /**
   * The JSON Patch that rewrites a set: the cached resourceVersion as precondition (a set changed
   * meanwhile answers 409), the planned labels over the cached ones, the owner, and the spec whole
   * (an instance's servers: tens, not thousands).
   */
  static ArrayNode patch(Update update) {
    ArrayNode ops = NODES.arrayNode();
    ops.add(
        op(
            "replace",
            "/metadata/resourceVersion",
            update.cached().getMetadata().getResourceVersion()));
    Map<String, String> merged = new TreeMap<>(labels(update.cached()));
    merged.putAll(labels(update.planned()));
    if (!merged.equals(labels(update.cached()))) {
      ops.add(op("add", "/metadata/labels", merged));
    }
    if (!Objects.equals(
        update.cached().getMetadata().getOwnerReferences(),
        update.planned().getMetadata().getOwnerReferences())) {
      ops.add(
          op(
              "add",
              "/metadata/ownerReferences",
              update.planned().getMetadata().getOwnerReferences()));
    }
    if (!Objects.equals(update.cached().getSpec(), update.planned().getSpec())) {
      ops.add(op("add", "/spec", update.planned().getSpec()));
    }
    return ops;
  }

  /**
   * The VirtualServices with a virtual server new or changed in {@code planned} against {@code
   * cached} (null: every one of the set's).
   */
  static Set<VirtualServiceKey> servicesChanged(VirtualServerSet cached, VirtualServerSet planned) {
    Map<String, VirtualServer> before = new HashMap<>();
    if (cached != null && cached.getSpec() != null && cached.getSpec().virtualServers() != null) {
      cached.getSpec().virtualServers().forEach(v -> before.put(v.name(), v));
    }
    Set<VirtualServiceKey> changed = new HashSet<>();
    if (planned.getSpec() != null && planned.getSpec().virtualServers() != null) {
      for (VirtualServer v : planned.getSpec().virtualServers()) {
        if (v.owner() != null && !v.equals(before.get(v.name()))) {
          changed.add(new VirtualServiceKey(v.owner().namespace(), v.owner().name()));
        }
      }
    }
    return changed;
  }

  private static Map<String, String> labels(VirtualServerSet set) {
    Map<String, String> labels = set.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static ObjectNode op(String op, String path, Object value) {
    ObjectNode node = NODES.objectNode().put("op", op).put("path", path);
    node.set("value", JSON.convertValue(value, JsonNode.class));
    return node;
  }
}
