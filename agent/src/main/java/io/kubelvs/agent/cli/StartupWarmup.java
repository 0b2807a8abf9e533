package io.kubelvs.agent.cli;

import io.kubelvs.agent.netlink.Syscalls;
import io.netty.channel.epoll.Epoll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the native layers a director needs - jnr-ffi's binding of libc for netlink and raw sockets,
 * Netty's epoll transport for the checks - on a thread of its own while the main thread reads and
 * validates the configuration. Both take most of a start (jnr-ffi generates its call stubs at run
 * time) and neither touches the system beyond loading code, so doing them beside the parsing
 * shortens the time to the first advert by the parsing's length. Class initialisation is
 * thread-safe: whichever thread gets there second waits for the first.
 */
final class StartupWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);

  private StartupWarmup() {}

  static void begin() {
    Thread thread = new Thread(StartupWarmup::run, "startup-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      // Its initialisation binds libc (netlink, raw and packet sockets).
      Class.forName(Syscalls.class.getName(), true, StartupWarmup.class.getClassLoader());
      Epoll.isAvailable();
    } catch (ClassNotFoundException | LinkageError e) {
      // The real use reports it, in its context; a warm-up only saves time.
      LOG.debug("warm-up skipped: {}", e.toString());
    }
  }
}
