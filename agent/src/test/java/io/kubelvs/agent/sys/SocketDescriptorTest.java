package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.Syscalls;
import org.junit.jupiter.api.Test;

/** The close-once bookkeeping of the socket classes, on an eventfd: no privileges needed. */
class SocketDescriptorTest {
  @Test
  void refusesUseAfterCloseAndClosesOnlyOnce() {
    SocketDescriptor descriptor = new SocketDescriptor(eventFd(), "test socket");
    int fd = descriptor.fileDescriptor();
    descriptor.checkOpen();

    descriptor.close();
    descriptor.close();

    assertThat(descriptor.fd()).isEqualTo(fd);
    assertThatThrownBy(descriptor::checkOpen)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test socket is closed");
    assertThatThrownBy(descriptor::fileDescriptor)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("test socket is closed");
  }

  @Test
  void reportsTheErrnoOfCloseOnceAndCountsTheDescriptorAsClosed() {
    SocketDescriptor descriptor = new SocketDescriptor(-1, "test socket");

    assertThatThrownBy(descriptor::close)
        .isInstanceOf(SyscallException.class)
        .hasMessage("close(test socket): EBADF (Bad file descriptor)")
        .satisfies(e -> assertThat(((SyscallException) e).is(Errno.EBADF)).isTrue());
    descriptor.close();
    assertThatThrownBy(descriptor::checkOpen).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void configureOrCloseReturnsTheConfiguredWrapper() {
    int fd = eventFd();
    SocketDescriptor descriptor =
        SocketDescriptor.configureOrClose(
            fd, open -> new SocketDescriptor(open, "test socket"), SocketDescriptor::checkOpen);

    assertThat(descriptor.fileDescriptor()).isEqualTo(fd);
    descriptor.close();
  }

  @Test
  void configureOrCloseClosesTheDescriptorWhenTheConfigurationFails() {
    int fd = eventFd();
    IllegalArgumentException failure = new IllegalArgumentException("bad option");

    assertThatThrownBy(
            () ->
                SocketDescriptor.configureOrClose(
                    fd,
                    open -> new SocketDescriptor(open, "test socket"),
                    descriptor -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    // Nothing else in this test opens a descriptor, so the number is still free.
    assertThat(Syscalls.tryClose(fd)).isEqualTo(Errno.EBADF.code());
  }

  private static int eventFd() {
    int fd = Syscalls.openEventFd();
    assertThat(fd).as("eventfd").isNotNegative();
    return fd;
  }
}
