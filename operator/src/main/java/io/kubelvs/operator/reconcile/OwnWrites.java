package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
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
 *
 * <p>A third: <b>when a service last changed in a Director.</b> Every write of a Director raises
 * its generation, and the agent reports the generation it applied. A service whose entries that
 * write did not touch is still programmed on a node whose agent applied an older generation, as
 * long as it is no older than the one that last changed them. Without this, each change would
 * unprogram every service of the pool until the agents caught up (thousands of statuses written
 * twice).
 */
final class OwnWrites {

  /** A Director write: the resourceVersion it was computed against and the answer. */
  private record Written(String before, Director after) {}

  private final Map<String, Written> directors = new ConcurrentHashMap<>();
  private final Map<String, DirectorSpec> intended = new ConcurrentHashMap<>();

  /**
   * Per Director: the generation it had when this process first wrote it (every service's entries
   * are no newer), and the generation of each write that changed a service's entries since.
   */
  private record Changes(long baseline, Map<VirtualServiceKey, Long> at) {}

  private final Map<String, Changes> changes = new ConcurrentHashMap<>();
  private final Map<String, String> statuses = new ConcurrentHashMap<>();

  /**
   * The spec a write about to go out gives the Director. Its event may come before the answer: a
   * spec equal to the one planned is no news either way.
   */
  void planned(String director, DirectorSpec spec) {
    intended.put(director, spec);
  }

  /** Whether the Director's spec is the one this operator last planned for it. */
  boolean isPlanned(Director seen) {
    return seen.getSpec() != null
        && seen.getSpec().equals(intended.get(seen.getMetadata().getName()));
  }

  /** A Director created ({@code before} null) or patched, as the API server answered. */
  void director(String before, Director after) {
    directors.put(after.getMetadata().getName(), new Written(before, after));
  }

  /**
   * A Director rewritten from generation {@code before} to {@code after}, changing the entries of
   * {@code services}.
   */
  void changed(String director, long before, long after, Set<VirtualServiceKey> services) {
    Changes c =
        changes.computeIfAbsent(director, d -> new Changes(before, new ConcurrentHashMap<>()));
    services.forEach(key -> c.at().put(key, after));
  }

  /** The generation in which the service's entries in the Director last changed, if known. */
  OptionalLong changedAt(String director, VirtualServiceKey key) {
    Changes c = changes.get(director);
    if (c == null) {
      return OptionalLong.empty();
    }
    Long at = c.at().get(key);
    return OptionalLong.of(at == null ? c.baseline() : at);
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
      changes.remove(gone.getMetadata().getName());
      intended.remove(gone.getMetadata().getName());
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
