package io.kubelvs.agent.ipvs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelvs side of hack/bench-ipvs.sh, run inside the VM in a fresh network namespace.
 *
 * <ul>
 *   <li>{@code rules COUNT REALS FILE}: writes the benchmark's rules in ipvsadm's save format, for
 *       the ipvsadm side to restore the very same table;
 *   <li>{@code run COUNT REALS}: programs them from empty with the reconciler, dumps them back,
 *       then changes one real server's weight, and prints {@code load_s=.. dump_s=..
 *       single_change_s=.. single_change_requests=..}.
 * </ul>
 */
final class IpvsBenchmark {
  private IpvsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[1]);
    int reals = Integer.parseInt(args[2]);
    List<DesiredService> desired = LabServices.services(count, reals);
    switch (args[0]) {
      case "rules" -> Files.write(Path.of(args[3]), ipvsadmRules(desired));
      case "run" -> run(desired);
      default -> throw new IllegalArgumentException("usage: rules|run COUNT REALS [FILE]");
    }
  }

  private static void run(List<DesiredService> desired) {
    try (IpvsClient client = IpvsClient.open()) {
      IpvsReconciler reconciler = new IpvsReconciler(client, OwnedServicesStore.inMemory());

      long t0 = System.nanoTime();
      ReconcileResult load = reconciler.reconcile(desired);
      long t1 = System.nanoTime();
      int destinations = 0;
      List<ObservedService> services = client.services();
      for (ObservedService s : services) {
        destinations += client.destinations(s.service().key()).size();
      }
      long t2 = System.nanoTime();
      if (services.size() != desired.size() || load.conflicts().size() != 0) {
        throw new IllegalStateException("load did not converge: " + services.size() + " services");
      }

      List<DesiredService> changed = new ArrayList<>(desired);
      int victim = desired.size() / 2;
      DesiredService old = changed.get(victim);
      List<Destination> dests = new ArrayList<>(old.destinations());
      dests.set(0, dests.get(0).withWeight(dests.get(0).weight() + 1));
      changed.set(victim, new DesiredService(old.service(), dests));
      long t3 = System.nanoTime();
      ReconcileResult single = reconciler.reconcile(changed);
      long t4 = System.nanoTime();

      System.out.printf(
          "load_s=%.3f dump_s=%.3f single_change_s=%.3f single_change_requests=%d"
              + " load_requests=%d services=%d destinations=%d%n",
          seconds(t1 - t0),
          seconds(t2 - t1),
          seconds(t4 - t3),
          single.applied().size(),
          load.applied().size(),
          services.size(),
          destinations);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The same table as ipvsadm -R input. */
  static List<String> ipvsadmRules(List<DesiredService> desired) {
    List<String> lines = new ArrayList<>();
    for (DesiredService d : desired) {
      String svc = "-t " + d.key().toString().replace("/TCP", "");
      lines.add("-A " + svc + " -s " + d.service().scheduler());
      for (Destination dest : d.destinations()) {
        lines.add(
            "-a %s -r %s -g -w %d"
                .formatted(svc, Endpoints.format(dest.address(), dest.port()), dest.weight()));
      }
    }
    return lines;
  }
}
