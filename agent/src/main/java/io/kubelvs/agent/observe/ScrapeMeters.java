package io.kubelvs.agent.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Series whose values are set at scrape time from a snapshot, and which go away when a snapshot no
 * longer has them: an instance or a real server removed by a reload leaves no stale series behind.
 * A pass sets every series it has ({@link #gauge}, {@link #counter}); {@link #endPass()} removes
 * the others from the registry. Counters take the running totals the agent and the kernel keep. Not
 * thread-safe: one pass at a time.
 */
final class ScrapeMeters {
  private final MeterRegistry registry;
  private final Map<Key, Series> series = new HashMap<>();
  private long pass;

  private record Key(String name, Tags tags) {}

  /** One series: its meter, and the value the meter reads. */
  private static final class Series {
    private Meter meter;
    private volatile double value;
    private long pass;
  }

  ScrapeMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void beginPass() {
    pass++;
  }

  void gauge(String name, String help, Tags tags, double value) {
    Series s = set(new Key(name, tags), value);
    if (s.meter == null) {
      s.meter =
          Gauge.builder(name, s, x -> x.value)
              .description(help)
              .tags(tags)
              .strongReference(true)
              .register(registry);
    }
  }

  void counter(String name, String help, Tags tags, double value) {
    Series s = set(new Key(name, tags), value);
    if (s.meter == null) {
      s.meter =
          FunctionCounter.builder(name, s, x -> x.value)
              .description(help)
              .tags(tags)
              .register(registry);
    }
  }

  /** Removes every series this pass did not set. */
  void endPass() {
    for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
      Series s = it.next();
      if (s.pass != pass) {
        registry.remove(s.meter);
        it.remove();
      }
    }
  }

  private Series set(Key key, double value) {
    Series s = series.computeIfAbsent(key, k -> new Series());
    s.value = value;
    s.pass = pass;
    return s;
  }
}
