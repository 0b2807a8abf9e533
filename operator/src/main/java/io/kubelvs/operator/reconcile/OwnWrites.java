package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.status.DirectorView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this operator wrote, as the API server answered it, until the informers catch up.
 *
 * <p>Directors and VirtualServerSets are kept alike. Two uses. <b>Echoes:</b> the event of an
 * object at a resourceVersion this operator's own write produced tells nothing new, so it need not
 * start a pass (five to twenty Directors and a status or two per change would otherwise each plan
 * the whole cluster again). <b>Reading its own writes:</b> a pass that starts before the informer
 * has delivered the previous pass's Director writes would patch the old resourceVersion and get a
 * 409; the Directors as answered stand in for the cached ones that are still at the version the
 * write started from.
 *
 * <p>Only the latest write per object is kept, and dropped once the cache holds it or anything
 * newer; a write that never shows up (the object was deleted) is dropped with the delete event.
 *
 * <p>A third: <b>when a service last changed in a Director or a set.</b> Every write raises the
 * object's generation, and the agent reports the generation it applied of its Director and of each
 * set. A service whose entries that write did not touch is still programmed on a node whose agent
 * applied an older generation, as long as it is no older than the one that last changed them.
 * Without this, each change would unprogram every other service of the set or Director until the
 * agents caught up (each one's status written twice).
 */
final class OwnWrites implements DirectorView.ChangedAt {

  /**
   * A write of a Director or a VirtualServerSet: the resourceVersion it was computed against and
   * the answer.
   */
  private record Written(String before, HasMetadata after) {}

  /** By kind and name. */
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  private final Map<String, Object> intended = new ConcurrentHashMap<>();

  /**
   * Per Director and per set (by kind and name): the generation it had when this process first
   * wrote it (every service's entries are no newer), and the generation of each write that changed
   * a service's entries since.
   */
  private record Changes(long baseline, Map<VirtualServiceKey, Long> at) {}

  private final Map<String, Changes> changes = new ConcurrentHashMap<>();
  private final AtomicLong changesVersion = new AtomicLong();
  private final Map<String, String> statuses = new ConcurrentHashMap<>();

  /**
   * The spec a write about to go out gives the Director. Its event may come before the answer: a
   * spec equal to the one planned is no news either way.
   */
  void planned(String director, DirectorSpec spec) {
    intended.put(key("Director", director), spec);
  }

  /** The same for a VirtualServerSet. */
  void planned(String set, VirtualServerSetSpec spec) {
    intended.put(key("VirtualServerSet", set), spec);
  }

  /** Whether the object's spec is the one this operator last planned for it. */
  boolean isPlanned(CustomResource<?, ?> seen) {
    return seen.getSpec() != null
        && seen.getSpec().equals(intended.get(key(seen.getKind(), seen.getMetadata().getName())));
  }

  /**
   * A Director or VirtualServerSet created ({@code before} null) or patched, as the API server
   * answered.
   */
  void wrote(String before, HasMetadata after) {
    written.put(key(after.getKind(), after.getMetadata().getName()), new Written(before, after));
  }

  /**
   * A Director rewritten from generation {@code before} to {@code after}, changing the entries of
   * {@code services}.
   */
  void changed(String director, long before, long after, Set<VirtualServiceKey> services) {
    record(key("Director", director), before, after, services);
  }

  /**
   * A VirtualServerSet written from generation {@code before} (0: created) to {@code after},
   * changing the entries of {@code services}.
   */
  void setChanged(String set, long before, long after, Set<VirtualServiceKey> services) {
    record(key("VirtualServerSet", set), before, after, services);
  }

  private void record(String object, long before, long after, Set<VirtualServiceKey> services) {
    Changes c =
        changes.computeIfAbsent(object, d -> new Changes(before, new ConcurrentHashMap<>()));
    services.forEach(key -> c.at().put(key, after));
    changesVersion.incrementAndGet();
  }

  /** Raised by every change recorded or forgotten. */
  @Override
  public long version() {
    return changesVersion.get();
  }

  /** The generation in which the service's entries in the Director last changed, if known. */
  @Override
  public OptionalLong generation(String director, VirtualServiceKey key) {
    return lastChange(key("Director", director), key);
  }

  /** The generation in which the service's entries in the set last changed, if known. */
  @Override
  public OptionalLong setGeneration(String set, VirtualServiceKey key) {
    return lastChange(key("VirtualServerSet", set), key);
  }

  private OptionalLong lastChange(String object, VirtualServiceKey key) {
    Changes c = changes.get(object);
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
    if (seen instanceof Director || seen instanceof VirtualServerSet) {
      Written w = written.get(key(seen.getKind(), seen.getMetadata().getName()));
      return w != null && rv.equals(w.after().getMetadata().getResourceVersion());
    }
    return rv.equals(statuses.get(key(seen)));
  }

  /** The object is gone: nothing written to it is to be read back. */
  void deleted(HasMetadata gone) {
    if (gone instanceof Director || gone instanceof VirtualServerSet) {
      String key = key(gone.getKind(), gone.getMetadata().getName());
      written.remove(key);
      intended.remove(key);
      if (changes.remove(key) != null) {
        changesVersion.incrementAndGet();
      }
    } else {
      statuses.remove(key(gone));
    }
  }

  /**
   * The cached objects of a kind (Directors or VirtualServerSets) with each one still at the
   * version a write of ours started from replaced by that write's answer, and the ones we created
   * that the cache does not hold yet added. A cached object at any other version wins: the cache
   * caught up, or someone else wrote it.
   */
  <T extends HasMetadata> List<T> overlay(Class<T> kind, List<T> cached) {
    List<T> seen = new ArrayList<>(cached.size());
    Set<String> keys = new HashSet<>();
    for (T o : cached) {
      String key = key(o.getKind(), o.getMetadata().getName());
      keys.add(key);
      Written w = written.get(key);
      if (w != null && Objects.equals(o.getMetadata().getResourceVersion(), w.before())) {
        seen.add(kind.cast(w.after()));
      } else {
        if (w != null) {
          written.remove(key, w);
        }
        seen.add(o);
      }
    }
    written.forEach(
        (key, w) -> {
          if (w.before() == null && kind.isInstance(w.after()) && !keys.contains(key)) {
            seen.add(kind.cast(w.after()));
          }
        });
    return seen;
  }

  /** {@link #overlay(Class, List)} of Directors. */
  List<Director> overlay(List<Director> cached) {
    return overlay(Director.class, cached);
  }

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
