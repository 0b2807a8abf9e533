package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.CidrAddress;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a {@link VrrpRunner} remembers the VIPs it added to its interface, so that the next start
 * after a crash knows them as its own and removes them (or keeps them as master) instead of leaving
 * them behind: an address is only ever removed by the runner that added it, or by its successor
 * that reads this record.
 */
public interface VipStore {

  Set<CidrAddress> load();

  void save(Set<CidrAddress> added);

  /** Remembers nothing beyond the process: a crash leaves the VIPs behind. */
  static VipStore inMemory() {
    AtomicReference<Set<CidrAddress>> saved = new AtomicReference<>(Set.of());
    return new VipStore() {
      @Override
      public Set<CidrAddress> load() {
        return saved.get();
      }

      @Override
      public void save(Set<CidrAddress> added) {
        saved.set(Set.copyOf(added));
      }
    };
  }
}
