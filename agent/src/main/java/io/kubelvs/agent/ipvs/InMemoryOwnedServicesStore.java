package io.kubelvs.agent.ipvs;

import java.util.Set;

/** An {@link OwnedServicesStore} in memory; it also counts saves, which tests assert on. */
public final class InMemoryOwnedServicesStore implements OwnedServicesStore {
  private Set<ServiceKey> owned = Set.of();
  private int saves;

  @Override
  public synchronized Set<ServiceKey> load() {
    return owned;
  }

  @Override
  public synchronized void save(Set<ServiceKey> newOwned) {
    owned = Set.copyOf(newOwned);
    saves++;
  }

  public synchronized int saves() {
    return saves;
  }
}
