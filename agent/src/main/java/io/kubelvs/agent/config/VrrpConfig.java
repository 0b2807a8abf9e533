package io.kubelvs.agent.config;

import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.util.List;
import java.util.Set;

/**
 * The VRRP side of a node's config, as the VRRP core runs it: one {@link VrrpRunnerConfig} per
 * interface and address family (the instances on it share a socket, a multicast group and the
 * VRRPv2 password), and the instances whose state changes are mailed.
 *
 * @param runners per interface and family, in the order the interfaces first appear
 * @param smtpAlert the names of the instances with smtp_alert
 */
public record VrrpConfig(List<VrrpRunnerConfig> runners, Set<String> smtpAlert) {
  public VrrpConfig {
    runners = List.copyOf(runners);
    smtpAlert = Set.copyOf(smtpAlert);
  }
}
