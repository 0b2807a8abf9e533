package io.kubelvs.agent.testing;

import io.kubelvs.agent.netlink.Syscalls;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code in a new, empty network namespace, so tests that change addresses or links never touch
 * the host's. The namespace is private to one short-lived thread: sockets opened there stay in it,
 * and it disappears when the thread has ended and the last of them is closed, so nothing is left
 * behind even when a test fails. Needs root (CAP_SYS_ADMIN).
 */
public final class FreshNetworkNamespace {
  private FreshNetworkNamespace() {}

  /** Calls {@code body} on a new thread inside a fresh network namespace and returns its result. */
  public static <T> T call(Callable<T> body) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                Syscalls.unshareNetworkNamespace();
                result.set(body.call());
              } catch (Exception e) {
                failure.set(e);
              }
            },
            "fresh-netns");
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }
}
