package io.kubelvs.agent.check;

/**
 * Gives the {@link Prober} that performs attempts of one check method. The health checker asks once
 * per real server when its check starts or changes, never per attempt.
 */
@FunctionalInterface
public interface ProberFactory {

  Prober forMethod(CheckMethod method);
}
