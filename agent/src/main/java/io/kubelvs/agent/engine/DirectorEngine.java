package io.kubelvs.agent.engine;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.CheckConfigValidator;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VirtualServerConfig;
import java.util.Objects;

/**
 * A running director: the VRRP half ({@link VrrpEngine}) and the LVS half ({@link LvsEngine}) under
 * one configuration.
 *
 * <p>A configuration is validated whole before either half changes; the LVS half is applied first,
 * so that a VIP this director takes over finds its IPVS services already there. Closing hands the
 * VIPs over first and then stops the checks; the IPVS rules stay.
 */
public final class DirectorEngine implements AutoCloseable {
  private final VrrpEngine vrrp;
  private final LvsEngine lvs;

  public DirectorEngine(VrrpEngine vrrp, LvsEngine lvs) {
    this.vrrp = Objects.requireNonNull(vrrp, "vrrp");
    this.lvs = Objects.requireNonNull(lvs, "lvs");
  }

  /**
   * Applies {@code config} as a diff on what runs.
   *
   * @throws CheckConfigException when a check is invalid; nothing changed
   * @throws VrrpEngine.StartException when an interface's VRRP could not start; the rest of the
   *     configuration is applied
   */
  public synchronized void apply(NodeConfig config)
      throws CheckConfigException, VrrpEngine.StartException {
    CheckConfigValidator.requireValid(
        config.virtualServers().stream().map(VirtualServerConfig::checks).toList());
    lvs.apply(config.virtualServers());
    vrrp.apply(config.vrrp());
  }

  public VrrpEngine vrrp() {
    return vrrp;
  }

  public LvsEngine lvs() {
    return lvs;
  }

  /** Hands the VIPs over, then stops the checks; IPVS rules are left in place. */
  @Override
  public synchronized void close() {
    try {
      vrrp.close();
    } finally {
      lvs.close();
    }
  }

  /** As {@link #close()}, then removes the IPVS services the agent owns (lvs_flush_on_stop). */
  public synchronized void closeAndFlush() {
    try {
      vrrp.close();
    } finally {
      lvs.flushAndClose();
    }
  }
}
