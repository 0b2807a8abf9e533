package io.kubelvs.agent.check;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one attempt of one check method. Implementations never block the caller and never own a
 * thread per check: network probers run on the shared Netty event loop group, MISC_CHECK on the
 * process reaper. The returned future always completes normally (a failure is a {@link
 * ProbeResult#down down} result naming the cause) and no later than the target's connect timeout
 * allows (plus the misc timeout for MISC_CHECK). Callers must not assume which thread completes it.
 */
@FunctionalInterface
public interface Prober {

  CompletableFuture<ProbeResult> probe(ProbeTarget target);
}
