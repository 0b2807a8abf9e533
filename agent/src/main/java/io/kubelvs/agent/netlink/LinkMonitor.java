package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows interface state: a NETLINK_ROUTE socket that is a member of the RTNLGRP_LINK multicast
 * group, so the kernel announces every link change to it (RTM_NEWLINK, RTM_DELLINK). Open it before
 * reading the state it follows, so no change falls between the two.
 *
 * <p>The socket never blocks: an event loop waits on {@link #fileDescriptor()} (e.g. with {@code
 * sys.Poller}) and then calls {@link #poll()}. When announcements come faster than they are read,
 * the kernel drops some and says so (ENOBUFS); the monitor then reads every link again and reports
 * each one's state after the announcements that were still queued, and reports as REMOVED the links
 * it had seen that are gone. So the last event for a link is always its current state. One thread
 * at a time.
 */
public final class LinkMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkMonitor.class);

  static final int DEFAULT_RECEIVE_BUFFER_BYTES = 1024 * 1024;
  private static final int DATAGRAM_BYTES = 64 * 1024;

  private final int fd;
  private final NetlinkSocket requests;
  private final ByteBuffer receiveBuffer = Syscalls.direct(DATAGRAM_BYTES);
  private final Map<Integer, Link> known = new HashMap<>();
  private long resyncs;
  private boolean closed;

  private LinkMonitor(int fd, NetlinkSocket requests) {
    this.fd = fd;
    this.requests = requests;
  }

  /** Subscribes to link changes in the calling thread's network namespace. */
  public static LinkMonitor open() {
    return open(DEFAULT_RECEIVE_BUFFER_BYTES);
  }

  /** With a receive buffer of {@code receiveBufferBytes}; tests make it small to force overflow. */
  static LinkMonitor open(int receiveBufferBytes) {
    int fd = Syscalls.openNetlink(Netlink.NETLINK_ROUTE);
    try {
      if (Syscalls.trySetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, receiveBufferBytes)
          != 0) {
        // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF at net.core.rmem_max.
        setOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferBytes, "SO_RCVBUF");
      }
      // Bind first: binding sets the first 32 groups to those in sockaddr_nl, dropping memberships.
      Syscalls.bindNetlink(fd, 0, 0);
      setOption(
          fd,
          Netlink.SOL_NETLINK,
          Netlink.NETLINK_ADD_MEMBERSHIP,
          Rtnetlink.RTNLGRP_LINK,
          "NETLINK_ADD_MEMBERSHIP RTNLGRP_LINK");
      return new LinkMonitor(fd, NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    } catch (RuntimeException e) {
      Syscalls.close(fd);
      throw e;
    }
  }

  private static void setOption(int fd, int level, int option, int value, String name) {
    int errno = Syscalls.trySetIntOption(fd, level, option, value);
    if (errno != 0) {
      throw new NetlinkException(
          "setsockopt(" + name + ", " + value + ") on the link monitor socket", errno, null);
    }
  }

  /** The descriptor that becomes readable when announcements are queued, for poll(2). */
  public int fileDescriptor() {
    checkOpen();
    return fd;
  }

  /**
   * The announcements queued now, decoded, oldest first; empty when there are none. Never blocks.
   */
  public List<LinkEvent> poll() {
    checkOpen();
    List<LinkEvent> events = new ArrayList<>();
    boolean lost = false;
    while (true) {
      long received = Syscalls.receive(fd, receiveBuffer);
      if (received == -Errno.EAGAIN.code()) {
        break;
      }
      if (received == -Errno.ENOBUFS.code()) {
        // Reported once; what is still queued is older than the state read after draining it.
        lost = true;
        continue;
      }
      if (received < 0) {
        throw new NetlinkException("recv on the link monitor socket", (int) -received, null);
      }
      if (received > DATAGRAM_BYTES) {
        throw new NetlinkException(
            "recv on the link monitor socket",
            Errno.EMSGSIZE.code(),
            null,
            "an announcement of "
                + received
                + " bytes exceeded the "
                + DATAGRAM_BYTES
                + "-byte buffer");
      }
      for (NetlinkMessage message :
          NetlinkMessage.decodeAll(receiveBuffer.slice(0, (int) received))) {
        if (message.type() == Rtnetlink.RTM_NEWLINK || message.type() == Rtnetlink.RTM_DELLINK) {
          events.add(remember(LinkEvent.of(message)));
        }
      }
    }
    if (lost) {
      events.addAll(resync());
    }
    return events;
  }

  /** Waits up to {@code timeout} for announcements and returns them (empty: none came). */
  public List<LinkEvent> await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<LinkEvent> events = poll();
      long remainingNanos = deadline - System.nanoTime();
      if (!events.isEmpty() || remainingNanos <= 0) {
        return events;
      }
      int millis = (int) Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000);
      Syscalls.awaitReadable(fd, millis, "poll on the link monitor socket");
    }
  }

  /** How often announcements were lost and every link read again. */
  public long resyncs() {
    return resyncs;
  }

  private List<LinkEvent> resync() {
    resyncs++;
    log.warn("link announcements lost (ENOBUFS), reading every link again resyncs={}", resyncs);
    List<LinkEvent> events = new ArrayList<>();
    Map<Integer, Link> gone = new HashMap<>(known);
    for (Link link : new Links(requests).all()) {
      gone.remove(link.index());
      LinkEvent.Type type = link.isUsable() ? LinkEvent.Type.UP : LinkEvent.Type.DOWN;
      events.add(remember(new LinkEvent(type, link)));
    }
    for (Link link : gone.values()) {
      events.add(remember(new LinkEvent(LinkEvent.Type.REMOVED, link)));
    }
    return events;
  }

  private LinkEvent remember(LinkEvent event) {
    if (event.type() == LinkEvent.Type.REMOVED) {
      known.remove(event.index());
    } else {
      known.put(event.index(), event.link());
    }
    return event;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("link monitor is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        requests.close();
      } finally {
        Syscalls.close(fd);
      }
    }
  }
}
