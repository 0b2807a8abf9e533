package io.kubelvs.agent.check;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Checks a whole health-check configuration before anything of it is used (ARCHITECTURE.md,
 * invariant 4), and names every wrong field by its path, such as {@code
 * virtualServers[0].realServers[1].timing.connectTimeout}. The rules follow keepalived's parser
 * (check_parser.c, check_api.c, check_data.c) where it rejects a value; where keepalived quietly
 * corrects one (a hysteresis at or above the quorum), it is refused here, so the operator learns of
 * it.
 */
public final class CheckConfigValidator {

  private final List<CheckConfigProblem> problems = new ArrayList<>();

  private CheckConfigValidator() {}

  /** Every problem of {@code configuration}; empty when it is valid. */
  public static List<CheckConfigProblem> validate(List<VirtualServerChecks> configuration) {
    CheckConfigValidator validator = new CheckConfigValidator();
    if (configuration == null) {
      validator.problem("virtualServers", "missing");
    } else {
      validator.validateAll(configuration);
    }
    return List.copyOf(validator.problems);
  }

  /** Throws with every problem of {@code configuration}, if it has any. */
  public static void requireValid(List<VirtualServerChecks> configuration)
      throws CheckConfigException {
    List<CheckConfigProblem> problems = validate(configuration);
    if (!problems.isEmpty()) {
      throw new CheckConfigException(problems);
    }
  }

  private void validateAll(List<VirtualServerChecks> configuration) {
    Map<String, Integer> firstById = new HashMap<>();
    for (int i = 0; i < configuration.size(); i++) {
      String path = "virtualServers[" + i + "]";
      VirtualServerChecks vs = configuration.get(i);
      if (vs == null) {
        problem(path, "missing");
        continue;
      }
      if (vs.id().isBlank()) {
        problem(path + ".id", "must not be blank");
      }
      Integer first = firstById.putIfAbsent(vs.id(), i);
      if (first != null) {
        problem(path + ".id", "duplicate of virtualServers[" + first + "].id \"" + vs.id() + "\"");
      }
      validateVirtualServer(path, vs);
    }
  }

  private void validateVirtualServer(String path, VirtualServerChecks vs) {
    if (vs.quorum() < 1) {
      problem(path + ".quorum", "must be at least 1, got " + vs.quorum());
    }
    if (vs.hysteresis() < 0) {
      problem(path + ".hysteresis", "must not be negative, got " + vs.hysteresis());
    } else if (vs.quorum() >= 1 && vs.hysteresis() >= vs.quorum()) {
      // keepalived check_data.c lowers it to quorum - 1 ("hysteresis >= quorum").
      problem(
          path + ".hysteresis",
          "must be less than the quorum " + vs.quorum() + ", got " + vs.hysteresis());
    }
    vs.sorryServer()
        .ifPresent(sorry -> requireIpAddress(path + ".sorryServer.address", sorry.address()));
    Map<InetSocketAddress, Integer> firstByAddress = new HashMap<>();
    for (int j = 0; j < vs.realServers().size(); j++) {
      String rsPath = path + ".realServers[" + j + "]";
      RealServerCheck rs = vs.realServers().get(j);
      Integer first = firstByAddress.putIfAbsent(rs.realServer(), j);
      if (first != null) {
        problem(
            rsPath + ".realServer",
            "duplicate of realServers[" + first + "] (" + text(rs.realServer()) + ")");
      }
      validateRealServer(rsPath, rs);
    }
  }

  private void validateRealServer(String path, RealServerCheck rs) {
    boolean addressValid = requireIpAddress(path + ".realServer", rs.realServer());
    if (rs.weight() < 0 || rs.weight() > RealServerHealth.MAX_WEIGHT) {
      problem(path + ".weight", "must be within 0..65535, got " + rs.weight());
    }
    requirePort(path + ".connectPort", rs.connectPort());
    requirePort(path + ".bindPort", rs.bindPort());
    validateTiming(path + ".timing", rs.timing());
    if (rs.check().isEmpty()) {
      return;
    }
    CheckMethod method = rs.check().get();
    CheckMethodValidator.validate(path + ".check", method, problems);
    if (!addressValid) {
      return;
    }
    InetAddress target = rs.connectIp().orElse(rs.realServer().getAddress());
    rs.bindIp()
        .filter(bind -> isIpv6(bind) != isIpv6(target))
        .ifPresent(
            bind ->
                problem(
                    path + ".bindIp",
                    "address family of "
                        + bind.getHostAddress()
                        + " differs from the check target "
                        + target.getHostAddress()));
    boolean needsPort = !(method instanceof MiscCheck || method instanceof PingCheck);
    if (needsPort && rs.connectPort().orElse(rs.realServer().getPort()) == 0) {
      problem(
          path + ".connectPort",
          method.keepalivedName() + " needs a port: the real server has port 0 and none is set");
    }
  }

  private void validateTiming(String path, CheckTiming timing) {
    requirePositive(path + ".interval", timing.interval());
    requirePositive(path + ".connectTimeout", timing.connectTimeout());
    if (timing.retries() < 0) {
      problem(path + ".retries", "must not be negative, got " + timing.retries());
    }
    // keepalived check_api.c reads delay_before_retry and warmup with a minimum of 0;
    // warmup 0 disables the random first delay.
    requireNotNegative(path + ".retryDelay", timing.retryDelay());
    timing.warmup().ifPresent(warmup -> requireNotNegative(path + ".warmup", warmup));
  }

  private boolean requireIpAddress(String field, InetSocketAddress address) {
    if (address == null) {
      problem(field, "missing");
      return false;
    }
    if (address.isUnresolved()) {
      problem(field, "must be an IP address, got the unresolved name " + address.getHostString());
      return false;
    }
    return true;
  }

  private void requirePort(String field, OptionalInt port) {
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65_535)) {
      problem(field, "must be within 0..65535, got " + port.getAsInt());
    }
  }

  private void requirePositive(String field, Duration duration) {
    if (duration == null) {
      problem(field, "missing");
    } else if (duration.isNegative() || duration.isZero()) {
      problem(field, "must be positive, got " + duration);
    }
  }

  private void requireNotNegative(String field, Duration duration) {
    if (duration == null) {
      problem(field, "missing");
    } else if (duration.isNegative()) {
      problem(field, "must not be negative, got " + duration);
    }
  }

  private void problem(String field, String message) {
    problems.add(new CheckConfigProblem(field, message));
  }

  private static boolean isIpv6(InetAddress address) {
    return address instanceof Inet6Address;
  }

  private static String text(InetSocketAddress address) {
    return Optional.ofNullable(address.getAddress())
            .map(InetAddress::getHostAddress)
            .orElse(address.getHostString())
        + ":"
        + address.getPort();
  }
}
