package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Routers on one segment, on one fake clock: every advert one router sends reaches the others that
 * are up, with no delay but after the sender has carried out its own actions (local work takes
 * microseconds, the wire more). Records who holds the VIPs so tests can measure outages.
 */
final class FakeNetwork {

  final FakeClock clock = new FakeClock();
  private final Map<String, Router> routers = new LinkedHashMap<>();
  private final Deque<Runnable> wire = new ArrayDeque<>();
  private final List<Duration> outages = new ArrayList<>();
  private Long outageSince;

  /** One router: its state machine, its pending deadline, whether it holds the VIPs. */
  final class Router {
    final String name;
    VrrpStateMachine machine;
    Long deadline;
    boolean holdsVips;
    boolean up = true;
    boolean connected = true;
    final List<StateChange> changes = new ArrayList<>();

    private Router(String name, VrrpInstanceConfig config) {
      this.name = name;
      this.machine = new VrrpStateMachine(config, clock);
    }

    VrrpRole role() {
      return machine.role();
    }
  }

  Router add(String name, VrrpInstanceConfig config) {
    Router router = new Router(name, config);
    routers.put(name, router);
    return router;
  }

  /** Feeds an event to one router and lets the network carry whatever follows. */
  void run(String name, Function<VrrpStateMachine, List<VrrpAction>> event) {
    Router router = routers.get(name);
    carryOut(router, event.apply(router.machine));
    while (!wire.isEmpty()) {
      wire.removeFirst().run();
    }
    checkOutage();
  }

  /** Power loss: the process dies with its addresses and sends nothing more. */
  void crash(String name) {
    Router router = routers.get(name);
    router.up = false;
    router.holdsVips = false;
    router.deadline = null;
    checkOutage();
  }

  /**
   * Unplugs (false) or replugs (true) a router's cable: nothing it sends arrives, nor reaches it.
   */
  void connect(String name, boolean connected) {
    routers.get(name).connected = connected;
  }

  /** A fresh process of a crashed router, same configuration. */
  void restart(String name) {
    Router router = routers.get(name);
    router.machine = new VrrpStateMachine(router.machine.config(), clock);
    router.up = true;
    run(name, VrrpStateMachine::start);
  }

  /** Moves the clock, firing each router's deadline in time order. */
  void advance(Duration d) {
    long target = clock.nanoTime() + d.toNanos();
    while (true) {
      Optional<Router> next =
          routers.values().stream()
              .filter(r -> r.up && r.deadline != null && target - r.deadline >= 0)
              .min(Comparator.comparingLong(r -> r.deadline - target));
      if (next.isEmpty()) {
        break;
      }
      clock.set(next.get().deadline);
      next.get().deadline = null;
      run(next.get().name, VrrpStateMachine::onTimer);
    }
    clock.set(target);
  }

  Router router(String name) {
    return routers.get(name);
  }

  /** Forgets the outages so far, e.g. the one before the first election. */
  void forgetOutages() {
    outages.clear();
  }

  /** Spans during which no router held the VIPs (one still open is left out). */
  List<Duration> outages() {
    return List.copyOf(outages);
  }

  private void carryOut(Router router, List<VrrpAction> actions) {
    for (VrrpAction action : actions) {
      if (action instanceof SendAdvertisement advert) {
        wire.addLast(() -> deliver(router, advert));
      } else if (action instanceof AddVips) {
        router.holdsVips = true;
      } else if (action instanceof RemoveVips) {
        router.holdsVips = false;
      } else if (action instanceof ScheduleAt at) {
        router.deadline = at.deadlineNanos();
      } else if (action instanceof CancelTimer) {
        router.deadline = null;
      } else if (action instanceof Publish publish) {
        router.changes.add(publish.change());
      }
    }
    checkOutage();
  }

  private void deliver(Router sender, SendAdvertisement sent) {
    VrrpInstanceConfig from = sender.machine.config();
    Advertisement advert =
        new Advertisement(
            from.version(),
            from.vrid(),
            sent.priority(),
            sent.interval(),
            from.virtualAddresses(),
            from.primaryAddress(),
            true);
    if (!sender.connected) {
      return;
    }
    for (Router receiver : routers.values()) {
      if (receiver != sender && receiver.up && receiver.connected) {
        carryOut(receiver, receiver.machine.onAdvertisement(advert));
      }
    }
  }

  private void checkOutage() {
    boolean held = routers.values().stream().anyMatch(r -> r.up && r.holdsVips);
    if (!held && outageSince == null) {
      outageSince = clock.nanoTime();
    } else if (held && outageSince != null) {
      outages.add(Duration.ofNanos(clock.nanoTime() - outageSince));
      outageSince = null;
    }
  }
}
