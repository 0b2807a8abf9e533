package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubelvs.api.v1alpha1.Director;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this operator wrote, as the API server answered it, until the informers catch up.
 *
 * <p>Two uses. <b>Echoes:</b> the event of an object at a resourceVersion this operator's own write
 * produced tells nothing new, so it need not start a pass (five to twenty Directors and a status or
 * two per change would otherwise each plan the whole cluster again). <b>Reading its own writes:</b>
 * a pass that starts before the informer has delivered the previous pass's Director writes would
 * patch the old resourceVersion and get a 409; the Directors as answered stand in for the cached
 * ones that are still at the version the write started from.
 *
 * <p>Only the latest write per object is kept, and dropped once the cache holds it or anything
 * newer; a write that never shows up (the object was deleted) is dropped with the delete event.
 */
final class OwnWrites {

  /** A Director write: the resourceVersion it was computed against and the answer. */
  private record Written(String before, Director after) {}

  private final Map<String, Written> directors = new ConcurrentHashMap<>();
  private final Map<String, String> statuses = new ConcurrentHashMap<>();

  /** A Director created ({@code before} null) or patched, as the API server answered. */
  void director(String before, Director after) {
    directors.put(after.getMetadata().getName(), new Written(before, after));
  }

  /** A status written, as the API server answered: its resourceVersion is an echo to come. */
  void status(HasMetadata after) {
    statuses.put(key(after), after.getMetadata().getResourceVersion());
  }

  /** Whether the informer's object is at a version this operator's write produced. */
  boolean isEcho(HasMetadata seen) {
    String rv = seen.getMetadata().getResourceVersion();
    if (rv == null) {
      return false;
    }
    if (seen instanceof Director) {
      Written w = directors.get(seen.getMetadata().getName());
      return w != null && rv.equals(w.after().getMetadata().getResourceVersion());
    }
    return rv.equals(statuses.get(key(seen)));
  }

  /** The object is gone: nothing written to it is to be read back. */
  void deleted(HasMetadata gone) {
    if (gone instanceof Director) {
      directors.remove(gone.getMetadata().getName());
    } else {
      statuses.remove(key(gone));
    }
  }

  /**
   * The cached Directors with each one still at the version a write of ours started from replaced
   * by that write's answer, and the ones we created that the cache does not hold yet added. A
   * cached Director at any other version wins: the cache caught up, or someone else wrote it.
   */
  List<Director> overlay(List<Director> cached) {
    List<Director> seen = new ArrayList<>(cached.size());
    Set<String> names = new HashSet<>();
    for (Director d : cached) {
      String name = d.getMetadata().getName();
      names.add(name);
      Written w = directors.get(name);
      if (w != null && Objects.equals(d.getMetadata().getResourceVersion(), w.before())) {
        seen.add(w.after());
      } else {
        if (w != null) {
          directors.remove(name, w);
        }
        seen.add(d);
      }
    }
    directors.forEach(
        (name, w) -> {
          if (w.before() == null && !names.contains(name)) {
            seen.add(w.after());
          }
        });
    return seen;
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
