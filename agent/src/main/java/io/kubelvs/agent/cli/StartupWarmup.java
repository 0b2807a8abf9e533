package io.kubelvs.agent.cli;

import io.kubelvs.agent.netlink.Syscalls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
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
    // Two threads: the two loads are independent, and a node has more than one core.
    start("startup-warmup-libc", () -> initialise(Syscalls.class));
    start(
        "startup-warmup-epoll",
        () -> {
          Epoll.isAvailable();
          initialise(EpollSocketChannel.class);
          initialise(EpollDatagramChannel.class);
          initialise(Bootstrap.class);
        });
  }

  private static void start(String name, Runnable load) {
    Thread thread =
        new Thread(
            () -> {
              try {
                load.run();
              } catch (LinkageError e) {
                // The real use reports it, in its context; a warm-up only saves time.
                LOG.debug("warm-up {} skipped: {}", name, e.toString());
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  // Its static initialisation is the work: Syscalls binds libc (netlink, raw and packet sockets).
  private static void initialise(Class<?> type) {
    try {
      Class.forName(type.getName(), true, StartupWarmup.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new NoClassDefFoundError(e.getMessage());
    }
  }
}
