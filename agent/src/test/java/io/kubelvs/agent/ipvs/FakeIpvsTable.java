package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteService;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An in-memory IPVS table that answers like the kernel: EEXIST, ESRCH and ENOENT where ip_vs_ctl.c
 * returns them, HASHED (and PERSISTENT with a timeout) added to every service's flags, and a
 * loopback NAT/DR real server reported as LOCAL, as old kernels do. It records every request, can
 * be told to refuse the n-th operation, and can "crash" the agent after k operations.
 */
public final class FakeIpvsTable implements IpvsTable {

  /** The agent died mid-apply: not an IpvsException, so nothing catches it and rolls back. */
  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(int after) {
      super("agent killed after " + after + " IPVS operations");
    }
  }

  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, Destination>> destinations = new HashMap<>();
  private final List<List<IpvsOperation>> requests = new ArrayList<>();
  private final Map<Integer, IpvsException> refusals = new HashMap<>();
  private int received;
  private int crashAfter = -1;

  /** Puts a service in the table the way another tool (or an earlier run) would have. */
  public FakeIpvsTable program(IpvsService service, Destination... dests) {
    services.put(service.key(), asKernelKeepsIt(service));
    Map<DestinationKey, Destination> byKey = new LinkedHashMap<>();
    for (Destination d : dests) {
      byKey.put(d.key(), d);
    }
    destinations.put(service.key(), byKey);
    return this;
  }

  /** The n-th operation received from now on (1-based, counted across requests) is refused. */
  public FakeIpvsTable refuse(int n, IpvsException error) {
    refusals.put(received + n, error);
    return this;
  }

  /** After k more operations the next one throws {@link SimulatedCrash}. */
  FakeIpvsTable crashAfter(int k) {
    crashAfter = received + k;
    return this;
  }

  List<List<IpvsOperation>> requests() {
    return requests;
  }

  int operationsReceived() {
    return received;
  }

  @Override
  public List<ObservedService> services() {
    return services.values().stream().map(s -> new ObservedService(s, IpvsStats.ZERO)).toList();
  }

  @Override
  public List<ObservedDestination> destinations(ServiceKey key) {
    if (!services.containsKey(key)) {
      throw refusal("IPVS_CMD_GET_DEST " + key, "ESRCH", "No such process");
    }
    return destinations.get(key).values().stream()
        .map(d -> new ObservedDestination(asReported(d), 0, 0, 0, IpvsStats.ZERO))
        .toList();
  }

  @Override
  public List<OperationResult> apply(List<IpvsOperation> operations) {
    requests.add(List.copyOf(operations));
    List<OperationResult> results = new ArrayList<>();
    for (IpvsOperation op : operations) {
      if (crashAfter >= 0 && received >= crashAfter) {
        crashAfter = -1;
        throw new SimulatedCrash(received);
      }
      received++;
      IpvsException refused = refusals.remove(received);
      results.add(new OperationResult(op, refused != null ? refused : perform(op)));
    }
    return results;
  }

  /** The table as text, one line per service and real server, sorted: for whole-table asserts. */
  String dump() {
    return services.keySet().stream().map(this::dump).sorted().collect(Collectors.joining("\n"));
  }

  /** One service and its real servers as text, like a stanza of {@code ipvsadm -S -n}. */
  String dump(ServiceKey key) {
    IpvsService s = services.get(key);
    if (s == null) {
      return "absent " + key;
    }
    String service =
        String.format(
            "-A %s -s %s flags=0x%x timeout=%d netmask=%d",
            key, s.scheduler(), s.flags(), s.persistenceTimeoutSeconds(), s.netmask());
    return service
        + destinations.get(key).values().stream()
            .map(
                d ->
                    String.format(
                        "%n  -a -r %s %s w=%d x=%d y=%d tun=%s/%d/%d",
                        d.key(),
                        d.forwarding(),
                        d.weight(),
                        d.upperThreshold(),
                        d.lowerThreshold(),
                        d.tunnelType(),
                        d.tunnelPort(),
                        d.tunnelFlags()))
            .sorted()
            .collect(Collectors.joining());
  }

  /** ip_vs_ctl.c keeps HASHED on every service in its table; our client sets PERSISTENT. */
  static IpvsService asKernelKeepsIt(IpvsService s) {
    int flags = (s.flags() & ~ServiceFlags.PERSISTENT) | ServiceFlags.HASHED;
    if (s.persistent()) {
      flags |= ServiceFlags.PERSISTENT;
    }
    return s.withFlags(flags);
  }

  private static Destination asReported(Destination d) {
    boolean sentLocally = d.forwarding() == Forwarding.NAT || d.forwarding() == Forwarding.DR;
    if (sentLocally && d.address().isLoopbackAddress()) {
      return new Destination(
          d.address(),
          d.port(),
          Forwarding.LOCAL,
          d.weight(),
          d.upperThreshold(),
          d.lowerThreshold(),
          d.tunnelType(),
          d.tunnelPort(),
          d.tunnelFlags());
    }
    return d;
  }

  private IpvsException perform(IpvsOperation op) {
    ServiceKey key = op.serviceKey();
    boolean exists = services.containsKey(key);
    if (op instanceof AddService add) {
      if (exists) {
        return refusal(op, "EEXIST", "File exists");
      }
      if (!DesiredService.KERNEL_SCHEDULERS.contains(add.service().scheduler())) {
        return refusal(op, "ENOENT", "No such file or directory");
      }
      program(add.service());
      return null;
    }
    if (!exists) {
      return refusal(op, "ESRCH", "No such process");
    }
    if (op instanceof EditService edit) {
      services.put(key, asKernelKeepsIt(edit.service()));
    } else if (op instanceof DeleteService) {
      services.remove(key);
      destinations.remove(key);
    } else {
      return performOnDestination(op, destinations.get(key));
    }
    return null;
  }

  private static IpvsException performOnDestination(
      IpvsOperation op, Map<DestinationKey, Destination> dests) {
    if (op instanceof AddDestination add) {
      if (dests.containsKey(add.destination().key())) {
        return refusal(op, "EEXIST", "File exists");
      }
      dests.put(add.destination().key(), add.destination());
      return null;
    }
    DestinationKey target =
        op instanceof EditDestination edit
            ? edit.destination().key()
            : ((DeleteDestination) op).destination();
    if (!dests.containsKey(target)) {
      return refusal(op, "ENOENT", "No such file or directory");
    }
    if (op instanceof EditDestination edit) {
      dests.put(target, edit.destination());
    } else {
      dests.remove(target);
    }
    return null;
  }

  private static IpvsException refusal(Object what, String errno, String text) {
    return new IpvsException(what + ": " + errno + " (" + text + ")", errno, null);
  }
}
