package io.kubelvs.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After a test class that builds {@link NetnsLab}s, no lab namespace may be left behind: the
 * clean-up rule is checked once here instead of in every such class.
 */
public final class NoLeftoverNamespaces implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(NetnsLab.leftoverNamespaces())
        .as("lab namespaces left by %s", context.getDisplayName())
        .isEmpty();
  }
}
