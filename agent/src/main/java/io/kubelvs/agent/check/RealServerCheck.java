package io.kubelvs.agent.check;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One real_server of a virtual server and how it is checked: keepalived's real_server block with at
 * most one checker. Timing is already resolved (virtual server defaults overridden per real server,
 * as keepalived's check_data.c does before it starts the checkers).
 *
 * @param realServer the destination IPVS sends traffic to
 * @param weight the configured weight (keepalived "weight", default 1)
 * @param check the checker; empty means keepalived's real server without a checker, always up
 * @param timing delay_loop, connect_timeout, retry, delay_before_retry, warmup, alpha
 * @param connectIp connect_ip: check this address instead of the real server's
 * @param connectPort connect_port: check this port instead of the real server's
 * @param bindIp bindto: the source address of the check
 * @param bindPort bind_port: the source port of the check
 * @param inhibitOnFailure inhibit_on_failure: a down server stays with weight 0 instead of being
 *     removed, so its established connections are not cut
 */
public record RealServerCheck(
    InetSocketAddress realServer,
    int weight,
    Optional<CheckMethod> check,
    CheckTiming timing,
    Optional<InetAddress> connectIp,
    OptionalInt connectPort,
    Optional<InetAddress> bindIp,
    OptionalInt bindPort,
    boolean inhibitOnFailure) {

  /** keepalived.conf(5): real_server weight "default: 1". */
  public static final int DEFAULT_WEIGHT = 1;

  public RealServerCheck {
    Objects.requireNonNull(realServer, "realServer");
    check = Optional.ofNullable(check).flatMap(c -> c);
    Objects.requireNonNull(timing, "timing");
    connectIp = Optional.ofNullable(connectIp).flatMap(a -> a);
    connectPort = connectPort == null ? OptionalInt.empty() : connectPort;
    bindIp = Optional.ofNullable(bindIp).flatMap(a -> a);
    bindPort = bindPort == null ? OptionalInt.empty() : bindPort;
  }

  /** A real server checked by {@code check} at its own address, without inhibit_on_failure. */
  public static RealServerCheck of(
      InetSocketAddress realServer, int weight, CheckMethod check, CheckTiming timing) {
    return new RealServerCheck(
        realServer,
        weight,
        Optional.of(check),
        timing,
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        false);
  }

  /** A real server with no checker: keepalived keeps it in the pool as long as it is configured. */
  public static RealServerCheck unchecked(InetSocketAddress realServer, int weight) {
    return new RealServerCheck(
        realServer,
        weight,
        Optional.empty(),
        CheckTiming.keepalivedDefaults(new TcpCheck()),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        false);
  }

  public RealServerCheck withWeight(int newWeight) {
    return new RealServerCheck(
        realServer,
        newWeight,
        check,
        timing,
        connectIp,
        connectPort,
        bindIp,
        bindPort,
        inhibitOnFailure);
  }

  public RealServerCheck withInhibitOnFailure(boolean inhibit) {
    return new RealServerCheck(
        realServer, weight, check, timing, connectIp, connectPort, bindIp, bindPort, inhibit);
  }

  public RealServerCheck withCheck(CheckMethod newCheck, CheckTiming newTiming) {
    return new RealServerCheck(
        realServer,
        weight,
        Optional.of(newCheck),
        newTiming,
        connectIp,
        connectPort,
        bindIp,
        bindPort,
        inhibitOnFailure);
  }

  public RealServerCheck withConnect(InetAddress ip, int port) {
    return new RealServerCheck(
        realServer,
        weight,
        check,
        timing,
        Optional.of(ip),
        OptionalInt.of(port),
        bindIp,
        bindPort,
        inhibitOnFailure);
  }

  public RealServerCheck withBind(Optional<InetAddress> ip, OptionalInt port) {
    return new RealServerCheck(
        realServer, weight, check, timing, connectIp, connectPort, ip, port, inhibitOnFailure);
  }

  /**
   * Where one attempt goes: connect_ip/connect_port over the real server's own address and port,
   * from bindto/bind_port if given (a bind_port alone binds the wildcard address of the target's
   * family).
   */
  public ProbeTarget probeTarget() {
    InetAddress address = connectIp.orElse(realServer.getAddress());
    InetSocketAddress target =
        new InetSocketAddress(address, connectPort.orElse(realServer.getPort()));
    Optional<InetSocketAddress> bind = Optional.empty();
    if (bindIp.isPresent() || bindPort.isPresent()) {
      InetAddress source = bindIp.orElseGet(() -> wildcardFor(address));
      bind = Optional.of(new InetSocketAddress(source, bindPort.orElse(0)));
    }
    return new ProbeTarget(target, bind, timing.connectTimeout());
  }

  /**
   * Whether {@code other} checks the same way: same method, timing and target. A real server whose
   * check is unchanged keeps its state across a new configuration; weight and inhibit_on_failure
   * may change without restarting it.
   */
  public boolean sameCheckAs(RealServerCheck other) {
    return check.equals(other.check)
        && timing.equals(other.timing)
        && probeTarget().equals(other.probeTarget());
  }

  private static InetAddress wildcardFor(InetAddress address) {
    return address instanceof Inet6Address
        ? new InetSocketAddress("::", 0).getAddress()
        : new InetSocketAddress("0.0.0.0", 0).getAddress();
  }
}
