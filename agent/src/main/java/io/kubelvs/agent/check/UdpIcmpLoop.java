package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.Pollable;
import io.kubelvs.agent.sys.Poller;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that waits on the native sockets of UDP_CHECK and PING_CHECK: each probe's UDP
 * socket (which Netty cannot give IP_RECVERR) and the shared ICMP sockets. It polls every watched
 * socket with one {@link Poller} and runs a socket's handler when it is readable or has an error
 * queued; other threads hand it work with {@link #execute}. Timeouts are not its business: probers
 * schedule them on the Netty event loop and hand the clean-up back here.
 *
 * <p>Sockets a probe opens inside {@link #execute} live in the network namespace the loop was
 * started in (a thread inherits its creator's namespace): the node's in the agent, a lab host's in
 * a test.
 */
public final class UdpIcmpLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpIcmpLoop.class);

  /** Only bounds one poll(2); wake-ups end waits early whenever there is work. */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(60);

  private static final long STOP_TIMEOUT_SECONDS = 10;

  private final Poller poller;
  private final Thread thread;
  private final Object lock = new Object();
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  // Touched by the loop's thread only, and by callers' threads once it has stopped.
  private final Map<Pollable, Runnable> watched = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private boolean terminated;

  private UdpIcmpLoop(String name) {
    this.poller = Poller.open();
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /** Starts the loop's thread, in the calling thread's network namespace. */
  public static UdpIcmpLoop start(String name) {
    UdpIcmpLoop loop = new UdpIcmpLoop(name);
    loop.thread.start();
    return loop;
  }

  /**
   * Runs {@code task} on the loop's thread, soon. After {@link #close()} it runs on the calling
   * thread instead, so that clean-up and the completion of pending probes still happen.
   */
  public void execute(Runnable task) {
    synchronized (lock) {
      if (!terminated) {
        tasks.add(task);
        poller.wakeUp();
        return;
      }
    }
    task.run();
  }

  /**
   * Watches {@code socket}: {@code onReady} runs on the loop's thread whenever it is readable or
   * has an error to report, until {@link #unwatch}. Call on the loop's thread (inside a task).
   */
  public void watch(Pollable socket, Runnable onReady) {
    checkInLoop();
    watched.put(socket, onReady);
  }

  /** Stops watching {@code socket}; close it only after this. Call on the loop's thread. */
  public void unwatch(Pollable socket) {
    checkInLoop();
    watched.remove(socket);
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread || terminated();
  }

  private boolean terminated() {
    synchronized (lock) {
      return terminated;
    }
  }

  private void checkInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException(
          "watch and unwatch belong to the loop's thread " + thread.getName());
    }
  }

  private void run() {
    while (!stopping) {
      runTasks();
      if (stopping) {
        break;
      }
      List<Pollable> ready;
      try {
        ready = poller.awaitReadable(new ArrayList<>(watched.keySet()), POLL_TIMEOUT);
      } catch (RuntimeException e) {
        if (forgetClosedSockets(e)) {
          continue;
        }
        LOG.error("UDP/ICMP loop stopped: poll failed", e);
        terminate();
        return;
      }
      for (Pollable socket : ready) {
        Runnable handler = watched.get(socket);
        if (handler != null) {
          runSafely(handler, "handler of " + socket);
        }
      }
    }
  }

  /**
   * A socket closed while still watched (a bug of its owner) makes every poll fail; dropping it
   * keeps the loop serving the others. False when no watched socket was closed.
   */
  private boolean forgetClosedSockets(RuntimeException failure) {
    List<Pollable> closed = new ArrayList<>();
    for (Pollable socket : watched.keySet()) {
      try {
        socket.fileDescriptor();
      } catch (IllegalStateException e) {
        closed.add(socket);
      }
    }
    closed.forEach(watched::remove);
    if (!closed.isEmpty()) {
      LOG.error(
          "UDP/ICMP loop dropped sockets closed while watched sockets=\"{}\"", closed, failure);
    }
    return !closed.isEmpty();
  }

  private void runTasks() {
    while (true) {
      Runnable task;
      synchronized (lock) {
        task = tasks.poll();
      }
      if (task == null) {
        return;
      }
      runSafely(task, "task");
    }
  }

  private static void runSafely(Runnable work, String what) {
    try {
      work.run();
    } catch (RuntimeException e) {
      // Handlers complete their probe's future themselves; one that throws is a bug, and it must
      // not stop the loop every other UDP and PING check depends on.
      LOG.error("UDP/ICMP loop work failed work=\"{}\"", what, e);
    }
  }

  /**
   * Stops the thread, then runs the tasks still queued (and later ones) on the caller's thread, and
   * closes the poller. The watched sockets belong to their owners, who close them.
   */
  @Override
  public void close() {
    stopping = true;
    poller.wakeUp();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException(
          thread.getName() + " did not stop within " + STOP_TIMEOUT_SECONDS + " s");
    }
    terminate();
    watched.clear();
    poller.close();
  }

  /** From now on tasks run on their caller's thread; the ones still queued run now. */
  private void terminate() {
    List<Runnable> left;
    synchronized (lock) {
      terminated = true;
      left = new ArrayList<>(tasks);
      tasks.clear();
    }
    left.forEach(task -> runSafely(task, "task after the loop stopped"));
  }
}
