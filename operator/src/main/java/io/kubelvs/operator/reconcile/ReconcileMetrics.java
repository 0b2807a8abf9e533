package io.kubelvs.operator.reconcile;

import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the loop does, for Prometheus: passes and their latency, writes by kind, verb and outcome,
 * and the size of the last plan (Directors, VirtualServices placed and rejected).
 */
final class ReconcileMetrics {
  private final MeterRegistry registry;
  private final Timer passes;
  private final Timer directorWrites;
  private final AtomicInteger directors = new AtomicInteger();
  private final AtomicInteger placed = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();

  ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
    passes =
        Timer.builder("kubelvs.operator.reconcile")
            .description("Reconcile passes: plan the cluster, write what differs")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    directorWrites =
        Timer.builder("kubelvs.operator.reconcile.directors")
            .description(
                "From a pass's start until its Directors are written: the operator's share of a"
                    + " change's latency")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    Gauge.builder("kubelvs.operator.planned.directors", directors, AtomicInteger::get)
        .description("Directors in the last plan")
        .register(registry);
    Gauge.builder("kubelvs.operator.planned.virtualservices", placed, AtomicInteger::get)
        .description("VirtualServices the last plan placed on directors")
        .register(registry);
    Gauge.builder("kubelvs.operator.rejected.virtualservices", rejected, AtomicInteger::get)
        .description("VirtualServices the last plan could not place (Conflict, Invalid, Exhausted)")
        .register(registry);
  }

  void pass(Duration took, Plan plan) {
    passes.record(took);
    directors.set(plan.directors().size());
    int ok =
        (int)
            plan.virtualServices().values().stream()
                .filter(o -> o instanceof VirtualServiceOutcome.Planned)
                .count();
    placed.set(ok);
    rejected.set(plan.virtualServices().size() - ok);
  }

  /** A pass that wrote Directors took this long from its start until they were written. */
  void directorsWritten(Duration sincePassStart) {
    directorWrites.record(sincePassStart);
  }

  void write(String kind, String verb, String outcome) {
    Counter.builder("kubelvs.operator.writes")
        .description("Writes to the API server by kind and verb (create, update, delete, status)")
        .tag("kind", kind)
        .tag("verb", verb)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
