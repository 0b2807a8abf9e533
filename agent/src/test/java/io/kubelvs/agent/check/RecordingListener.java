package io.kubelvs.agent.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keeps everything a health checker reported, in order. */
final class RecordingListener implements HealthListener {
  private final List<DesiredDestinations> destinations = new ArrayList<>();
  private final List<HealthEvent> events = new ArrayList<>();

  @Override
  public void onDestinations(DesiredDestinations reported) {
    destinations.add(reported);
  }

  @Override
  public void onEvent(HealthEvent event) {
    events.add(event);
  }

  List<HealthEvent> events() {
    return List.copyOf(events);
  }

  /** The real server up/down events, in order. */
  List<HealthEvent> serverEvents() {
    return events.stream()
        .filter(
            e -> e instanceof HealthEvent.RealServerUp || e instanceof HealthEvent.RealServerDown)
        .toList();
  }

  /** The quorum lost/regained events, in order. */
  List<HealthEvent> quorumEvents() {
    return events.stream()
        .filter(e -> e instanceof HealthEvent.QuorumLost || e instanceof HealthEvent.QuorumRegained)
        .toList();
  }

  List<DesiredDestinations> destinations() {
    return List.copyOf(destinations);
  }

  /** The last destinations reported for {@code virtualServer}. */
  DesiredDestinations lastDestinations(String virtualServer) {
    return lastDestinationsIfAny(virtualServer)
        .orElseThrow(() -> new AssertionError("no destinations reported for " + virtualServer));
  }

  Optional<DesiredDestinations> lastDestinationsIfAny(String virtualServer) {
    for (int i = destinations.size() - 1; i >= 0; i--) {
      if (destinations.get(i).virtualServer().equals(virtualServer)) {
        return Optional.of(destinations.get(i));
      }
    }
    return Optional.empty();
  }

  void clearEvents() {
    events.clear();
  }

  void clear() {
    destinations.clear();
    events.clear();
  }
}
