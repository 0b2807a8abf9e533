package io.kubelvs.agent.sys;

/**
 * Something an event loop can wait on with {@link Poller}: a socket whose descriptor becomes
 * readable when data is queued. A netlink {@code LinkMonitor} is one too: pass {@code
 * monitor::fileDescriptor}.
 */
@FunctionalInterface
public interface Pollable {
  /** The open descriptor poll(2) watches; valid until the owner is closed. */
  int fileDescriptor();
}
