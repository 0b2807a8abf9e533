package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.LibcBinding;

/**
 * Signals the process group a MISC_CHECK command runs in. keepalived starts each script in a group
 * of its own ({@code setpgid(0, 0)} in lib/notify.c) and, when misc_timeout passes, signals the
 * group ({@code kill(-pid, SIGTERM)}, then SIGKILL), so that whatever the script started dies with
 * it. Java's Process API signals single processes only, hence kill(2) here.
 */
public final class MiscProcessGroup {
  /** Signal numbers of asm-generic/signal.h (x86-64 and arm64). */
  public static final int SIGKILL = 9;

  public static final int SIGTERM = 15;

  private static final LibC LIBC = LibcBinding.libc();
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  private MiscProcessGroup() {}

  /**
   * Sends {@code signal} to every process of group {@code groupId}.
   *
   * @return false when no process is left in the group (ESRCH), true when it was signalled
   * @throws SyscallException when the kernel refuses, e.g. EPERM
   */
  public static boolean signal(long groupId, int signal) {
    if (groupId <= 1 || groupId > Integer.MAX_VALUE) {
      // kill(-1, ...) would signal every process we may signal; never let a bad id get that far.
      throw new IllegalArgumentException("process group " + groupId + " is not a command's group");
    }
    if (LIBC.kill((int) -groupId, signal) == 0) {
      return true;
    }
    int errno = RUNTIME.getLastError();
    if (errno == Errno.ESRCH.code()) {
      return false;
    }
    throw new SyscallException("kill(process group " + groupId + ", signal " + signal + ")", errno);
  }
}
