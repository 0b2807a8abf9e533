package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeriesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events (events.k8s.io/v1) about the Director: VRRP transitions and real servers going
 * up or down, with the VirtualService a real server serves as the related object.
 *
 * <p>Aggregated as client-go's event recorder does with a series: the first occurrence of a (type,
 * reason, subject) creates an Event; the ones after it, while the Event is younger than {@code
 * window}, add to its {@code series.count} instead, written at most once every {@code
 * seriesInterval}. A backend flapping for an hour is a handful of Events with large counts, not
 * thousands. Recording never blocks the caller; the API calls run on a thread of their own, and
 * while the API server is away occurrences are counted, not queued (at most {@code maxSubjects}
 * subjects are kept; beyond that they are dropped and counted in the log).
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String CONTROLLER = "kubelvs.io/agent";
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  /** Aggregation and pacing. */
  public record Settings(
      Duration flushInterval, Duration seriesInterval, Duration window, int maxSubjects) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(30), 512);
  }

  /** What makes two occurrences one series. */
  private record Key(String type, String reason, String subject) {}

  /** One series: its Event once created, and the occurrences not yet written. */
  private static final class Series {
    String eventName;
    Instant created;
    Instant lastWritten;
    int written;
    int pending;
    String note;
    Optional<ObjectReference> related = Optional.empty();
    Instant lastObserved;
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<ObjectReference> regarding;
  private final String instance;
  private final InstantSource clock;
  private final Settings settings;
  private final ScheduledExecutorService thread;
  private final Map<Key, Series> series = new LinkedHashMap<>();
  private long dropped;
  private boolean failing;
  private Instant retryAt = Instant.EPOCH;
  private Duration backoff = Duration.ZERO;

  /**
   * @param namespace where the Events are created (the agent's own namespace)
   * @param regarding the Director, as it is known now (its uid once the watch saw it)
   * @param instance this agent's name in reportingInstance, e.g. the node's name
   */
  public EventRecorder(
      KubernetesClient client,
      String namespace,
      Supplier<ObjectReference> regarding,
      String instance,
      InstantSource clock,
      Settings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.regarding = Objects.requireNonNull(regarding, "regarding");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "director-events");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::flush,
        settings.flushInterval().toMillis(),
        settings.flushInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Records one occurrence.
   *
   * @param type Normal or Warning
   * @param reason CamelCase, e.g. RealServerDown
   * @param subject what it is about, e.g. {@code VI_1} or {@code 198.18.53.101:80 of web/seed/80}:
   *     occurrences with the same type, reason and subject are one series
   * @param note the human-readable text; the latest occurrence's is written
   * @param related another object it concerns, e.g. the VirtualService
   */
  public void record(
      String type, String reason, String subject, String note, Optional<ObjectReference> related) {
    Instant now = clock.instant();
    try {
      thread.execute(() -> add(new Key(type, reason, subject), note, related, now));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: the agent is stopping.
    }
  }

  private void add(Key key, String note, Optional<ObjectReference> related, Instant at) {
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= settings.maxSubjects() && !evictWritten()) {
        dropped++;
        return;
      }
      s = new Series();
      series.put(key, s);
    }
    s.pending++;
    s.note = note;
    s.related = related;
    s.lastObserved = at;
  }

  /** Forgets one series with nothing pending, the oldest; false if every one has some. */
  private boolean evictWritten() {
    Iterator<Series> it = series.values().iterator();
    while (it.hasNext()) {
      if (it.next().pending == 0) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  private void flush() {
    Instant now = clock.instant();
    if (now.isBefore(retryAt)) {
      return;
    }
    for (Map.Entry<Key, Series> e : series.entrySet()) {
      Series s = e.getValue();
      if (s.pending == 0) {
        continue;
      }
      boolean fresh = s.eventName != null && s.created.plus(settings.window()).isAfter(now);
      if (fresh && s.lastWritten.plus(settings.seriesInterval()).isAfter(now)) {
        continue;
      }
      try {
        if (fresh) {
          addToSeries(s);
        } else {
          create(e.getKey(), s, now);
        }
        s.lastWritten = now;
        if (failing) {
          LOG.info("events written again");
          failing = false;
          backoff = Duration.ZERO;
        }
      } catch (RuntimeException ex) {
        if (!failing) {
          LOG.warn("event not written, counting until it can be error=\"{}\"", ex.getMessage());
          failing = true;
        }
        // The API server is away: the rest would fail alike. Back off, to 10 s at most.
        backoff =
            backoff.isZero()
                ? settings.flushInterval()
                : backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                    ? Duration.ofSeconds(10)
                    : backoff.multipliedBy(2);
        retryAt = now.plus(backoff);
        return;
      }
    }
    if (dropped > 0) {
      LOG.warn(
          "events dropped: more than {} subjects at once count={}",
          settings.maxSubjects(),
          dropped);
      dropped = 0;
    }
  }

  private void create(Key key, Series s, Instant now) {
    String name =
        regarding.get().getName()
            + "."
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    EventBuilder event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withType(key.type())
            .withReason(key.reason())
            .withAction(key.reason())
            .withNote(truncate(s.note))
            .withRegarding(regarding.get())
            .withReportingController(CONTROLLER)
            .withReportingInstance(instance)
            .withEventTime(new MicroTime(MICRO_TIME.format(s.lastObserved)));
    s.related.ifPresent(event::withRelated);
    if (s.pending > 1) {
      event.withSeries(
          new EventSeriesBuilder()
              .withCount(s.pending)
              .withLastObservedTime(new MicroTime(MICRO_TIME.format(s.lastObserved)))
              .build());
    }
    client.events().v1().events().inNamespace(namespace).resource(event.build()).create();
    s.eventName = name;
    s.created = now;
    s.written = s.pending;
    s.pending = 0;
  }

  private void addToSeries(Series s) {
    int count = s.written + s.pending;
    String note = truncate(s.note);
    MicroTime last = new MicroTime(MICRO_TIME.format(s.lastObserved));
    client
        .events()
        .v1()
        .events()
        .inNamespace(namespace)
        .withName(s.eventName)
        .edit(
            (Event e) ->
                new EventBuilder(e)
                    .withNote(note)
                    .withSeries(
                        new EventSeriesBuilder()
                            .withCount(count)
                            .withLastObservedTime(last)
                            .build())
                    .build());
    s.written = count;
    s.pending = 0;
  }

  /** An Event's note holds at most 1 kB. */
  private static String truncate(String note) {
    return note.length() <= 1024 ? note : note.substring(0, 1021) + "...";
  }

  /** Writes what is pending, within {@code timeout}, and stops. */
  public void flushAndClose(Duration timeout) {
    try {
      thread.submit(this::flushAll).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("events not all written before stopping: {}", e.toString());
    }
    close();
  }

  private void flushAll() {
    series.values().forEach(s -> s.lastWritten = s.lastWritten == null ? null : Instant.EPOCH);
    retryAt = Instant.EPOCH;
    flush();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
