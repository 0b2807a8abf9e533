package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.LinkEvent;
import io.kubelvs.agent.sys.Pollable;
import io.kubelvs.agent.sys.ReceivedDatagram;
import io.kubelvs.agent.sys.SyscallException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the VRRP instances of one interface on the kernel: one raw socket (demultiplexed by VRID), a
 * packet socket for gratuitous ARP / NA, rtnetlink for the VIPs and a link monitor, all waited on
 * by ONE event-loop thread that owns the state machines. Other threads talk to the loop through
 * commands ({@link #handOver()}) and read published snapshots ({@link #role}, {@link #counters}).
 *
 * <p>An error of the native layer while acting for an instance (a send, an address change) is
 * logged with its context and puts that instance in FAULT; it tries again {@link #IO_FAULT_RETRY}
 * later. The loop itself never dies silently: an error it cannot survive is logged at ERROR and
 * kept in {@link #failure()}.
 */
public final class VrrpRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunner.class);

  /** How long an instance stays in FAULT after an I/O error before it tries again. */
  static final Duration IO_FAULT_RETRY = Duration.ofSeconds(1);

  /** The longest the loop sleeps without a deadline; a wake-up cuts it short. */
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

  /** Datagrams read per wake-up before timers get their turn, so a flood cannot starve them. */
  private static final int RECEIVE_BATCH = 64;

  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final Duration HAND_OVER_SLACK = Duration.ofSeconds(1);

  /**
   * Bound at class initialisation: a backup's first timer is its takeover, and linking a method
   * reference on first use there would cost a millisecond while clients wait.
   */
  private static final Function<VrrpStateMachine, List<VrrpAction>> ON_TIMER =
      VrrpStateMachine::onTimer;

  private final VrrpRunnerConfig config;
  private final VrrpRunnerVips vips;
  private final MonotonicClock clock;
  private final VrrpRunnerIo io;
  private final Map<String, VrrpRunnerInstance> instances;
  private final VrrpRunnerReceiver receiver;
  private final VrrpRunnerDispatch actions;
  private final VrrpRunnerTracking tracking;
  private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(65_536);
  private final Object changes = new Object();
  private final Thread loop;
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile Throwable failure;
  private boolean linkUp;
  private boolean closed;

  private VrrpRunner(
      VrrpRunnerConfig config,
      VipStore vipStore,
      MonotonicClock clock,
      VrrpRunnerIo io,
      List<Consumer<StateChange>> listeners) {
    this.config = config;
    this.clock = clock;
    this.io = io;
    this.listeners.addAll(listeners);
    Map<String, VrrpRunnerInstance> byName = new LinkedHashMap<>();
    Map<Integer, VrrpRunnerInstance> byVrid = new LinkedHashMap<>();
    for (VrrpInstanceConfig instance : config.instances()) {
      VrrpInstanceConfig resolved =
          VrrpRunnerConfig.withPrimaryAddress(instance, io.primaryAddress());
      VrrpRunnerInstance runnerInstance =
          new VrrpRunnerInstance(new VrrpStateMachine(resolved, clock));
      byName.put(instance.name(), runnerInstance);
      byVrid.put(instance.vrid(), runnerInstance);
    }
    this.instances = Map.copyOf(byName);
    this.vips = new VrrpRunnerVips(config, vipStore, io, instances.values());
    this.receiver = new VrrpRunnerReceiver(config, byVrid);
    this.actions =
        new VrrpRunnerDispatch(
            config.interfaceName(), io, clock, this.listeners, this::signal, vips::save);
    List<SyncGroup> groups = new ArrayList<>();
    for (VrrpRunnerConfig.SyncGroupMembers group : config.syncGroups()) {
      groups.add(
          new SyncGroup(
              group.name(), group.instances().stream().map(n -> byName.get(n).machine()).toList()));
    }
    actions.syncGroups(byName, groups);
    this.tracking = new VrrpRunnerTracking(config, instances.values(), actions, this::command);
    this.loop = new Thread(this::run, "vrrp-" + config.interfaceName());
    this.loop.setDaemon(true);
  }

  /** Opens the sockets in the calling thread's network namespace and starts every instance. */
  public static VrrpRunner start(VrrpRunnerConfig config, MonotonicClock clock) {
    return start(config, clock, List.of());
  }

  /**
   * As {@link #start(VrrpRunnerConfig, MonotonicClock)}, with listeners for the first changes; the
   * VIPs it adds are remembered only in memory, so a crash leaves them behind.
   */
  public static VrrpRunner start(
      VrrpRunnerConfig config, MonotonicClock clock, List<Consumer<StateChange>> listeners) {
    return start(config, VipStore.inMemory(), clock, listeners);
  }

  /**
   * Starts the instances, first taking back the VIPs that {@code vipStore} says an earlier run
   * added and that are still on the interface (see {@link VrrpStateMachine#adoptVips()}); one no
   * instance configures any more is removed. Every later change of the VIPs is saved there.
   */
  public static VrrpRunner start(
      VrrpRunnerConfig config,
      VipStore vipStore,
      MonotonicClock clock,
      List<Consumer<StateChange>> listeners) {
    return start(config, vipStore, clock, listeners, Set.of());
  }

  /**
   * As {@link #start(VrrpRunnerConfig, VipStore, MonotonicClock, List)}, replacing a runner of the
   * same interface that was {@linkplain #detach() detached}: the instances named in {@code
   * resumeAsMaster} that get their VIPs back from {@code vipStore} start as master at once ({@link
   * VrrpStateMachine#resumeAsMaster()}), so the reconfiguration moves no VIP.
   */
  public static VrrpRunner start(
      VrrpRunnerConfig config,
      VipStore vipStore,
      MonotonicClock clock,
      List<Consumer<StateChange>> listeners,
      Set<String> resumeAsMaster) {
    VrrpRunnerIo io = VrrpRunnerIo.open(config);
    VrrpRunner runner;
    try {
      runner = new VrrpRunner(config, vipStore, clock, io, listeners);
      runner.vips.adoptLeftovers();
      for (String name : resumeAsMaster) {
        VrrpRunnerInstance instance = runner.instances.get(name);
        // Only one that still holds its VIPs: the old runner's master, detached a moment ago.
        if (instance != null && !instance.added().isEmpty()) {
          instance.machine().resumeAsMaster();
        }
      }
    } catch (RuntimeException e) {
      io.close();
      throw e;
    }
    log.info(
        "vrrp runner starting interface={} primary={} group={} instances={}",
        config.interfaceName(),
        io.primaryAddress().getHostAddress(),
        config.group().getHostAddress(),
        runner.instances.keySet());
    // Started from here, the loop's thread is in this thread's network namespace.
    runner.loop.start();
    runner.await(() -> runner.started || runner.failure != null, STOP_WAIT);
    if (!runner.started) {
      runner.kill();
      throw new IllegalStateException(
          "VRRP on " + config.interfaceName() + " did not start", runner.failure);
    }
    runner.tracking.start();
    return runner;
  }

  /** Called on the loop's thread for every state change, after those of {@code start}. */
  public void addListener(Consumer<StateChange> listener) {
    listeners.add(listener);
  }

  public VrrpRole role(String instance) {
    return instance(instance).role();
  }

  /** The instance's effective priority: its configured one, as tracking changed it. */
  public int priority(String instance) {
    return instance(instance).priority();
  }

  public VrrpRunnerCounters counters(String instance) {
    return instance(instance).counters();
  }

  /** Drops counted before the VRID was known: decode errors, unknown VRIDs. */
  public VrrpRunnerCounters unattributedDrops() {
    return receiver.counters();
  }

  /** The error that stopped the event loop, if one did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Planned handover of every instance ({@link VrrpStateMachine#handOver()}): a master keeps its
   * VIPs until the new master is heard or its wait ends. Returns when every instance has stopped,
   * or after the longest handover wait and a second of slack.
   */
  public void handOver() {
    handOver(instances.keySet());
  }

  /**
   * Planned handover of the named instances only (the others run on), as {@link #handOver()}: for
   * instances a reconfiguration removes from an interface whose others stay.
   */
  public void handOver(Collection<String> names) {
    List<VrrpRunnerInstance> leaving =
        instances.values().stream().filter(i -> names.contains(i.name())).toList();
    Duration longest =
        leaving.stream()
            .map(i -> i.config().handOverWait())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    command(() -> leaving.forEach(i -> actions.dispatch(i, i.machine().handOver())));
    BooleanSupplier stopped = () -> leaving.stream().allMatch(i -> i.role() == VrrpRole.STOPPED);
    if (!await(stopped, longest.plus(HAND_OVER_SLACK))) {
      log.warn(
          "vrrp handover did not finish in time interface={} wait={}ms",
          config.interfaceName(),
          longest.plus(HAND_OVER_SLACK).toMillis());
    }
  }

  /** Planned handover, then a shutdown of whatever did not stop, then the sockets are closed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (loop.isAlive()) {
      handOver();
      command(() -> instances.values().forEach(i -> actions.dispatch(i, i.machine().shutdown())));
      await(this::allStopped, STOP_WAIT);
    }
    stopLoop();
    log.info("vrrp runner stopped interface={}", config.interfaceName());
  }

  /**
   * For tests: a crash. Stops the loop and closes the sockets without any advert or address
   * removal, so the VIPs stay where they are.
   */
  public void kill() {
    stopLoop();
  }

  /**
   * Stops without an advert or an address change, for a runner of the same interface that starts
   * right after and takes the VIPs over from the {@link VipStore} ({@link #start(VrrpRunnerConfig,
   * VipStore, MonotonicClock, List, Set)}): a reconfiguration, not a shutdown. The instances' roles
   * stay readable.
   */
  public void detach() {
    stopLoop();
    log.info("vrrp runner detached for a reconfiguration interface={}", config.interfaceName());
  }

  private synchronized void stopLoop() {
    if (closed) {
      return;
    }
    closed = true;
    tracking.close();
    running = false;
    io.poller().wakeUp();
    try {
      loop.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (loop.isAlive()) {
      log.error(
          "vrrp event loop did not stop within {}ms, closing its sockets anyway interface={}",
          STOP_WAIT.toMillis(),
          config.interfaceName());
    }
    io.close();
  }

  // --- the event loop

  private void run() {
    try {
      startInstances();
      while (running) {
        runCommands();
        fireDueTimers();
        if (!running) {
          break;
        }
        Pollable monitor = io.linkMonitor()::fileDescriptor;
        List<Pollable> ready =
            io.poller().awaitReadable(List.of(io.raw(), monitor), untilNextDeadline());
        for (Pollable source : ready) {
          if (source == monitor) {
            linkEvents();
          } else {
            receiveAdverts();
          }
        }
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      log.error(
          "vrrp event loop stopped by an error; instances keep their addresses"
              + " interface={} error=\"{}\"",
          config.interfaceName(),
          e.toString(),
          e);
    } finally {
      signal();
    }
  }

  private void startInstances() {
    linkUp = io.link().isUsable();
    tracking.initialise(io.trackedLinksUp());
    for (VrrpRunnerInstance instance : instances.values()) {
      if (!linkUp) {
        actions.feed(instance, m -> m.onLinkChange(false));
      }
      if (!instance.tracking().neutral()) {
        actions.feed(instance, m -> m.onTracking(instance.tracking().verdict()));
      }
      actions.feed(instance, VrrpStateMachine::start);
    }
    started = true;
    // start() waits for this; without the signal it woke only at the next event.
    signal();
  }

  private void command(Runnable command) {
    commands.add(command);
    io.poller().wakeUp();
  }

  private void runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
  }

  private void fireDueTimers() {
    long now = clock.nanoTime();
    for (VrrpRunnerInstance instance : instances.values()) {
      OptionalLong retry = instance.ioRetryAt();
      if (retry.isPresent() && now - retry.getAsLong() >= 0) {
        instance.ioRetryAt(OptionalLong.empty());
        log.info(
            "vrrp retrying after I/O error interface={} instance={}",
            config.interfaceName(),
            instance.name());
        instance.tracking().ioError(null);
        actions.feed(instance, m -> m.onTracking(instance.tracking().verdict()));
      }
      OptionalLong deadline = instance.deadline();
      if (deadline.isPresent() && now - deadline.getAsLong() >= 0) {
        instance.deadline(OptionalLong.empty());
        actions.feed(instance, ON_TIMER);
      }
    }
  }

  private Duration untilNextDeadline() {
    long now = clock.nanoTime();
    long wait = IDLE_WAIT.toNanos();
    for (VrrpRunnerInstance instance : instances.values()) {
      for (OptionalLong at : List.of(instance.deadline(), instance.ioRetryAt())) {
        if (at.isPresent()) {
          wait = Math.min(wait, Math.max(0, at.getAsLong() - now));
        }
      }
    }
    return Duration.ofNanos(wait);
  }

  private void linkEvents() {
    for (LinkEvent event : io.linkMonitor().poll()) {
      tracking.linkEvent(event);
      if (event.index() != io.link().index()) {
        continue;
      }
      boolean up = event.type() == LinkEvent.Type.UP;
      if (up != linkUp) {
        linkUp = up;
        log.info("vrrp link change interface={} state={}", config.interfaceName(), event.type());
        for (VrrpRunnerInstance instance : instances.values()) {
          actions.feed(instance, m -> m.onLinkChange(up));
        }
      }
    }
  }

  private void receiveAdverts() {
    for (int i = 0; i < RECEIVE_BATCH; i++) {
      receiveBuffer.clear();
      Optional<ReceivedDatagram> datagram;
      try {
        datagram = io.raw().receive(receiveBuffer, Duration.ZERO);
      } catch (SyscallException e) {
        log.error(
            "vrrp receive failed interface={} error=\"{}\"", config.interfaceName(), e.toString());
        instances.values().forEach(instance -> actions.ioFault(instance, e.getMessage()));
        return;
      }
      if (datagram.isEmpty()) {
        return;
      }
      receiver
          .judge(receiveBuffer.array(), receiveBuffer.position(), datagram.get())
          .ifPresent(d -> actions.feed(d.instance(), m -> m.onAdvertisement(d.advert())));
    }
  }

  // --- waiting for the loop

  private VrrpRunnerInstance instance(String name) {
    VrrpRunnerInstance instance = instances.get(name);
    if (instance == null) {
      throw new IllegalArgumentException(
          "no VRRP instance " + name + " on " + config.interfaceName() + ": " + instances.keySet());
    }
    return instance;
  }

  private boolean allStopped() {
    return instances.values().stream().allMatch(i -> i.role() == VrrpRole.STOPPED);
  }

  private void signal() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  /** Waits until {@code condition} holds, the loop ends, or {@code timeout} passes. */
  private boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changes) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (started && !loop.isAlive())) {
          return condition.getAsBoolean();
        }
        try {
          changes.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return condition.getAsBoolean();
        }
      }
      return true;
    }
  }
}
