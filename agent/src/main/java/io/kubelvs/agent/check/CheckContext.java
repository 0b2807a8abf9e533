package io.kubelvs.agent.check;

import java.time.Instant;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of one health checker shares: its timer thread and clock, the probers, the wall
 * clock for events, the random source of warmup delays, and the listener. Listener calls go through
 * here so that a failing listener is logged and cannot stop the checks.
 */
record CheckContext(
    CheckTimer timer,
    ProberFactory probers,
    InstantSource clock,
    RandomGenerator random,
    HealthListener listener) {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  Instant now() {
    return clock.instant();
  }

  void emit(HealthEvent event) {
    log.info("health event={}", event);
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.error("health listener failed on event={}; checks go on", event, e);
    }
  }

  void publish(DesiredDestinations destinations) {
    log.debug("desired destinations={}", destinations);
    try {
      listener.onDestinations(destinations);
    } catch (RuntimeException e) {
      log.error(
          "health listener failed on destinations of vs={}; checks go on",
          destinations.virtualServer(),
          e);
    }
  }
}
