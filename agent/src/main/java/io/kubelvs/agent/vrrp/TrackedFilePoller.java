package io.kubelvs.agent.vrrp;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads tracked files ({@code vrrp_track_file}) every {@link #POLL_INTERVAL} on a thread of its own
 * and hands each new value to a consumer (the loop's command queue), by the file's name. At start
 * it writes {@code init_file} values first, as keepalived does at startup.
 */
final class TrackedFilePoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrackedFilePoller.class);

  /** keepalived reacts to inotify at once; a second is what polling costs nothing noticeable. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final String owner;
  private final Map<String, TrackedFile> files = new LinkedHashMap<>();
  private final BiConsumer<String, Integer> values;
  private final Map<String, Integer> last = new HashMap<>();
  private ScheduledThreadPoolExecutor executor;

  /**
   * @param files each file once (by name), whatever weight each instance gives it
   * @param values called with the file's name and its new value, on this poller's thread
   */
  TrackedFilePoller(
      String owner, Collection<TrackedFile> files, BiConsumer<String, Integer> values) {
    this.owner = owner;
    files.forEach(f -> this.files.putIfAbsent(f.name(), f));
    this.values = values;
  }

  /** Writes the init_file values; call before the runner reads the files' first values. */
  void initialise() {
    for (TrackedFile file : files.values()) {
      if (file.initValue().isPresent() && (file.overwrite() || !Files.exists(file.path()))) {
        try {
          Files.writeString(file.path(), file.initValue().getAsInt() + "\n");
        } catch (IOException e) {
          log.error(
              "vrrp track file cannot be initialised owner={} file={} path={} error=\"{}\"",
              owner,
              file.name(),
              file.path(),
              e.toString());
        }
      }
    }
  }

  /** The value of each file now, by name, as the first values the instances start from. */
  Map<String, Integer> readAll() {
    Map<String, Integer> now = new LinkedHashMap<>();
    files.values().forEach(f -> now.put(f.name(), TrackedFile.read(f.path())));
    synchronized (last) {
      last.putAll(now);
    }
    return now;
  }

  /** Polls from now on; nothing runs when no file is tracked. */
  void start() {
    if (files.isEmpty()) {
      return;
    }
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "vrrp-files-" + owner);
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        this::poll, POLL_INTERVAL.toNanos(), POLL_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void poll() {
    for (TrackedFile file : files.values()) {
      int value = TrackedFile.read(file.path());
      Integer previous;
      synchronized (last) {
        previous = last.put(file.name(), value);
      }
      if (previous == null || previous != value) {
        values.accept(file.name(), value);
      }
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
