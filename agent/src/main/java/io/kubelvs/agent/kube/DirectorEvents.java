package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.ipvs.Endpoints;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VrrpRole;
import io.kubelvs.api.v1alpha1.ApiGroup;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualServer;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What becomes an Event: VRRP transitions (reason {@code VrrpMaster}, {@code VrrpBackup}, {@code
 * VrrpFault}, {@code VrrpStopped}), real servers going up or down and quorum changes (with the
 * VirtualService the virtual server was planned from as the related object, so {@code kubectl get
 * events --field-selector related.name=...} finds them from the VirtualService), and refused specs.
 * Aggregation is the {@link EventRecorder}'s.
 */
public final class DirectorEvents {
  private final EventRecorder recorder;
  private final Supplier<Optional<Director>> director;
  private final Supplier<Map<String, String>> namesById;

  /**
   * @param director the Director that runs, resolved ({@link DirectorFollower#running()}): its
   *     virtual servers name the VirtualServices they were planned from, also those of its sets
   * @param namesById the spec's virtual server names by the engine's ids, as applied
   */
  public DirectorEvents(
      EventRecorder recorder,
      Supplier<Optional<Director>> director,
      Supplier<Map<String, String>> namesById) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.director = Objects.requireNonNull(director, "director");
    this.namesById = Objects.requireNonNull(namesById, "namesById");
  }

  /** The Director as an Event's {@code regarding}: with its uid once the watch saw it. */
  public static ObjectReference reference(String name, Optional<Director> seen) {
    return new ObjectReferenceBuilder()
        .withApiVersion(ApiGroup.API_VERSION)
        .withKind("Director")
        .withName(name)
        .withUid(seen.map(d -> d.getMetadata().getUid()).orElse(null))
        .build();
  }

  public void onStateChange(StateChange change) {
    if (change.to() == VrrpRole.INIT || change.resumed()) {
      return;
    }
    String to = change.to().name();
    recorder.record(
        change.to() == VrrpRole.FAULT ? "Warning" : "Normal",
        "Vrrp" + to.charAt(0) + to.substring(1).toLowerCase(Locale.ROOT),
        change.instance(),
        "VRRP instance "
            + change.instance()
            + ": "
            + change.from()
            + " -> "
            + change.to()
            + " ("
            + change.reason()
            + ")",
        Optional.empty());
  }

  public void onHealthEvent(HealthEvent event) {
    if (event instanceof HealthEvent.RealServerDown down) {
      realServer(
          "Warning", "RealServerDown", down.virtualServer(), down.realServer(), down.reason());
    } else if (event instanceof HealthEvent.RealServerUp up) {
      realServer("Normal", "RealServerUp", up.virtualServer(), up.realServer(), up.reason());
    } else if (event instanceof HealthEvent.QuorumLost lost) {
      String name = name(lost.virtualServer());
      recorder.record(
          "Warning",
          "QuorumLost",
          name,
          "virtual server "
              + name
              + " lost its quorum: healthy weight "
              + lost.healthyWeight()
              + " < "
              + lost.quorum(),
          related(lost.virtualServer()));
    } else if (event instanceof HealthEvent.QuorumRegained gained) {
      String name = name(gained.virtualServer());
      recorder.record(
          "Normal",
          "QuorumRegained",
          name,
          "virtual server "
              + name
              + " has its quorum again: healthy weight "
              + gained.healthyWeight()
              + " >= "
              + gained.quorum(),
          related(gained.virtualServer()));
    }
  }

  /** A spec the agent refused: the running one stays. */
  public void onRefused(Director refused, String message) {
    recorder.record(
        "Warning",
        "SpecRefused",
        "generation " + refused.getMetadata().getGeneration(),
        "the spec of generation "
            + refused.getMetadata().getGeneration()
            + " was refused, the running configuration stays: "
            + message,
        Optional.empty());
  }

  private void realServer(
      String type, String reason, String vsId, InetSocketAddress rs, String why) {
    String name = name(vsId);
    String subject = Endpoints.format(rs.getAddress(), rs.getPort()) + " of " + name;
    recorder.record(
        type,
        reason,
        subject,
        "real server "
            + subject
            + (reason.equals("RealServerUp") ? " is up: " : " is down: ")
            + why,
        related(vsId));
  }

  private String name(String vsId) {
    return namesById.get().getOrDefault(vsId, vsId);
  }

  /** The VirtualService the virtual server was planned from, if the spec names one. */
  private Optional<ObjectReference> related(String vsId) {
    String name = name(vsId);
    return director
        .get()
        .map(Director::getSpec)
        .flatMap(
            spec ->
                spec.allVirtualServers().stream().filter(vs -> name.equals(vs.name())).findFirst())
        .map(VirtualServer::owner)
        .map(
            owner ->
                new ObjectReferenceBuilder()
                    .withApiVersion(ApiGroup.API_VERSION)
                    .withKind("VirtualService")
                    .withNamespace(owner.namespace())
                    .withName(owner.name())
                    .build());
  }
}
