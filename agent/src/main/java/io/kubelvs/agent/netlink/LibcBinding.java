package io.kubelvs.agent.netlink;

import jnr.ffi.LibraryLoader;

/**
 * Loads {@link LibC} once, with jnr-ffi's reflection-based invokers unless the process asked for
 * others ({@code -Djnr.ffi.asm.enabled=true}). jnr-ffi's default generates a class for the whole
 * interface with ASM when it is loaded: measured in hack/vm's VM, that took about two of the
 * agent's twelve seconds from start to its first advert (50-100 ms on this machine itself), to save
 * about 0.3 us a call (poll with no descriptors, C1: 650 ns a call reflected, 330 ns generated), on
 * calls that each wait on the kernel (a netlink round trip, one advert a second). The switch is
 * jnr-ffi's own system property, read once when its loader class initialises, so it is set before
 * the first load; nothing else in the agent binds a library through jnr-ffi.
 */
public final class LibcBinding {
  private static final String ASM_ENABLED = "jnr.ffi.asm.enabled";

  private static final LibC LIBC = load();

  private LibcBinding() {}

  /**
   * The one binding of libc: {@link Syscalls} and {@code sys} share it. (Not a static method of
   * {@link LibC}: jnr-ffi's ASM loader takes every method of the interface for a native function.)
   */
  public static LibC libc() {
    return LIBC;
  }

  private static LibC load() {
    if (System.getProperty(ASM_ENABLED) == null) {
      System.setProperty(ASM_ENABLED, "false");
    }
    return LibraryLoader.create(LibC.class).load("c");
  }
}
