package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libc is bound with jnr-ffi's reflection invokers unless the process asks for generated ones, and
 * both work: a call goes through and returns what the kernel said.
 */
class LibcBindingTest {
  @Test
  void reflectionInvokersByDefaultAndTheCallsWork() {
    LibC libc = LibcBinding.libc();

    assertThat(System.getProperty("jnr.ffi.asm.enabled")).isEqualTo("false");
    assertThat(libc.poll(ByteBuffer.allocateDirect(8), 0, 0)).isZero();
  }

  @Test
  void generatedInvokersWhenTheProcessAsksForThem() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djnr.ffi.asm.enabled=true",
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                PollOnce.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output).contains("poll=0 asm=true");
    assertThat(child.exitValue()).isZero();
  }

  /** Binds libc in a process of its own and makes one call. */
  public static final class PollOnce {
    public static void main(String[] args) {
      int result = LibcBinding.libc().poll(ByteBuffer.allocateDirect(8), 0, 0);
      System.out.println("poll=" + result + " asm=" + System.getProperty("jnr.ffi.asm.enabled"));
    }
  }
}
