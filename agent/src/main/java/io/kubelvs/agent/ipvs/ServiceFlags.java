package io.kubelvs.agent.ipvs;

/** IP_VS_SVC_F_* of include/uapi/linux/ip_vs.h. */
public final class ServiceFlags {
  public static final int PERSISTENT = 0x0001;
  public static final int HASHED = 0x0002;
  public static final int ONE_PACKET = 0x0004;
  public static final int SCHED1 = 0x0008;
  public static final int SCHED2 = 0x0010;
  public static final int SCHED3 = 0x0020;

  /** sh-fallback and mh-fallback are SCHED1, sh-port and mh-port SCHED2. */
  public static final int SH_FALLBACK = SCHED1;

  public static final int SH_PORT = SCHED2;
  public static final int MH_FALLBACK = SCHED1;
  public static final int MH_PORT = SCHED2;

  /** The flags a user sets; HASHED and PERSISTENT are the kernel's (PERSISTENT follows timeout). */
  public static final int USER_FLAGS = ONE_PACKET | SCHED1 | SCHED2 | SCHED3;

  private ServiceFlags() {}
}
