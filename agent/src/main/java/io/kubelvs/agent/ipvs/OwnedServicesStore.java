package io.kubelvs.agent.ipvs;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where the agent remembers which IPVS services it created, so that after a restart it still tells
 * its own services from kube-proxy's or a hand-made rule (invariant 2: touch only what it owns).
 */
public interface OwnedServicesStore {

  /**
   * The owned services; empty when nothing was ever saved.
   *
   * @throws OwnedServicesStoreException when the stored set cannot be read; never an empty set
   *     instead, since that would turn every owned service into a foreign one
   */
  Set<ServiceKey> load();

  /** Replaces the stored set, all at once: a crash leaves either the old set or the new one. */
  void save(Set<ServiceKey> owned);

  /** A file on the node, one key per line in {@link ServiceKeyText} form. */
  static OwnedServicesStore file(Path path) {
    return new FileOwnedServicesStore(path);
  }

  /** Kept in memory only: for tests, and for runs that must not outlive the process. */
  static OwnedServicesStore inMemory() {
    return new InMemoryOwnedServicesStore();
  }
}
