package io.kubelvs.agent.ipvs;

import java.util.List;
import java.util.Objects;

/**
 * The IPVS table of a kernel that has no IPVS: empty, and refusing every change with the reason it
 * could not be opened. A director that balances nothing - VRRP instances only, as keepalived runs
 * for bare VIPs - runs on it where ip_vs is missing; a configuration with virtual servers is
 * refused before it gets here.
 */
public final class AbsentIpvsTable implements IpvsTable {
  private final String reason;

  /**
   * @param reason why IPVS is missing, e.g. the failure of {@link IpvsClient#open()}
   */
  public AbsentIpvsTable(String reason) {
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public String reason() {
    return reason;
  }

  @Override
  public List<ObservedService> services() {
    return List.of();
  }

  @Override
  public List<ObservedDestination> destinations(ServiceKey service) {
    return List.of();
  }

  @Override
  public List<OperationResult> apply(List<IpvsOperation> operations) {
    return operations.stream()
        .map(op -> new OperationResult(op, new IpvsException(op + ": " + reason)))
        .toList();
  }
}
