package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves the VirtualServerSets a Director's VRRP instances name ({@code
 * spec.vrrpInstances[].virtualServerSet}) into the Director the node runs: each such instance
 * carries its own virtual servers, then the set's, and names no set any more. The rest of the agent
 * (the mapping, the engine, the copy saved on the node, "same spec as running") sees that resolved
 * Director only, so a node restarting without the API server needs no set.
 *
 * <p>A reference names the set and the least {@code metadata.generation} the Director needs (the
 * operator names the set's generation of the moment it writes the instance, so the instance's new
 * VIPs and their servers run together): a set held at that generation resolves, and so does a later
 * one, as held (a change inside a set rewrites no Director; the status says which generation of
 * each set runs); an older one, or none, waits. A set that is for another instance or another pool
 * is refused, naming the set and what differs.
 */
final class DirectorSets {
  private static final String INSTANCES = "spec.vrrpInstances";

  /** What a Director resolves to, given the sets held now. */
  sealed interface Resolution permits Ready, Waiting, Invalid {}

  /**
   * Every named set is held: the Director to run, and where its instances' servers came from.
   *
   * @param director the Director itself when it names no set
   */
  record Ready(Director director, SetOrigins origins) implements Resolution {}

  /** Some named set is not held at the generation needed yet: nothing can run. */
  record Waiting(List<Missing> missing) implements Resolution {}

  /** Some reference cannot be resolved as it is: the Director is refused. */
  record Invalid(List<DirectorSpecProblem> problems) implements Resolution {}

  /**
   * A set the Director needs and the agent does not hold as needed.
   *
   * @param have the generation held, empty when none is
   */
  record Missing(String set, long generation, Optional<Long> have) {}

  private final Function<String, Optional<VirtualServerSet>> sets;
  private final String pool;
  private final SpecProblems problems = new SpecProblems();
  private final List<Missing> missing = new ArrayList<>();
  private final Map<String, SetOrigins.Origin> origins = new HashMap<>();

  private DirectorSets(Function<String, Optional<VirtualServerSet>> sets, String pool) {
    this.sets = sets;
    this.pool = pool;
  }

  /**
   * @param sets the sets held, by name: the agent's set watch, for the Director's pool
   */
  static Resolution resolve(Director director, Function<String, Optional<VirtualServerSet>> sets) {
    DirectorSpec spec = director.getSpec();
    List<VrrpInstance> instances =
        spec == null || spec.vrrpInstances() == null ? List.of() : spec.vrrpInstances();
    if (instances.stream().noneMatch(i -> i != null && i.virtualServerSet() != null)) {
      return new Ready(director, SetOrigins.NONE);
    }
    if (spec.poolName() == null || spec.poolName().isBlank()) {
      // The agent holds the sets of the Director's pool only.
      return new Invalid(
          List.of(
              new DirectorSpecProblem(
                  "spec.poolName", "missing: the VirtualServerSets named are found by pool")));
    }
    DirectorSets resolver = new DirectorSets(sets, spec.poolName());
    List<VrrpInstance> resolved = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      resolver.instance(i, instances.get(i)).ifPresent(resolved::add);
    }
    if (resolver.problems.count() > 0) {
      return new Invalid(resolver.problems.all());
    }
    if (!resolver.missing.isEmpty()) {
      return new Waiting(resolver.missing);
    }
    Director copy = new Director();
    copy.setMetadata(new ObjectMetaBuilder(director.getMetadata()).build());
    copy.setSpec(
        new DirectorSpec(
            spec.nodeName(),
            spec.poolName(),
            resolved,
            spec.virtualServers(),
            spec.notification()));
    return new Ready(copy, new SetOrigins(resolver.origins));
  }

  /**
   * Instance {@code index} with the servers of the set it names after its own; itself when it names
   * none; empty when its set is not held as needed or does not fit (recorded).
   */
  private Optional<VrrpInstance> instance(int index, VrrpInstance instance) {
    if (instance == null || instance.virtualServerSet() == null) {
      return Optional.ofNullable(instance);
    }
    String path = SpecProblems.entry(INSTANCES, index, instance.name()) + ".virtualServerSet";
    Optional<VirtualServerSet> set = held(path, instance.virtualServerSet());
    if (set.isEmpty() || !belongs(path, set.get(), instance)) {
      return Optional.empty();
    }
    List<VirtualServer> own = orEmpty(instance.virtualServers());
    List<VirtualServer> merged = new ArrayList<>(own);
    merged.addAll(orEmpty(set.get().getSpec().virtualServers()));
    origins.put(
        instance.name(),
        new SetOrigins.Origin(
            set.get().getMetadata().getName(), generation(set.get()), own.size()));
    return Optional.of(instance.withServers(merged, null));
  }

  /** The set {@code ref} names if it is held at the generation needed; else why not, recorded. */
  private Optional<VirtualServerSet> held(String path, VirtualServerSetRef ref) {
    if (ref.name() == null || ref.name().isBlank()) {
      problems.add(path + ".name", "missing");
      return Optional.empty();
    }
    if (ref.generation() == null || ref.generation() < 1) {
      problems.add(path + ".generation", "must be at least 1, got " + ref.generation());
      return Optional.empty();
    }
    Optional<VirtualServerSet> set = sets.apply(ref.name());
    if (set.isEmpty() || generation(set.get()) < ref.generation()) {
      missing.add(new Missing(ref.name(), ref.generation(), set.map(DirectorSets::generation)));
      return Optional.empty();
    }
    return set;
  }

  /** Whether {@code set} holds servers of this instance of this pool; a problem if not. */
  private boolean belongs(String path, VirtualServerSet set, VrrpInstance instance) {
    String name = "VirtualServerSet " + set.getMetadata().getName();
    if (set.getSpec() == null) {
      problems.add(path, name + " has no spec");
      return false;
    }
    int before = problems.count();
    if (!Objects.equals(set.getSpec().instanceName(), instance.name())) {
      problems.add(
          path,
          name
              + " holds the servers of instance \""
              + set.getSpec().instanceName()
              + "\", not of \""
              + instance.name()
              + "\"");
    }
    if (!Objects.equals(set.getSpec().poolName(), pool)) {
      problems.add(
          path,
          name
              + " is of pool \""
              + set.getSpec().poolName()
              + "\", not of the Director's pool \""
              + pool
              + "\"");
    }
    return problems.count() == before;
  }

  /** A set's generation; 0 where the API server set none, which no reference accepts. */
  private static long generation(VirtualServerSet set) {
    Long generation = set.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
