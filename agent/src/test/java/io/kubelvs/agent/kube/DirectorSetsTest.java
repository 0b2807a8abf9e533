package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.TestSets.API;
import static io.kubelvs.agent.kube.TestSets.SET;
import static io.kubelvs.agent.kube.TestSets.WEB;
import static io.kubelvs.agent.kube.TestSets.naming;
import static io.kubelvs.agent.kube.TestSets.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A Director's VRRP instances resolved with the VirtualServerSets they name, and the resolved
 * Director mapped: what waits, what is refused and where a problem in a set's server is reported.
 */
class DirectorSetsTest {

  @Test
  void aDirectorNamingNoSetIsRunAsItIs() {
    Director director = TestDirectors.inInstance(WEB);

    DirectorSets.Ready ready = ready(DirectorSets.resolve(director, holding()));

    assertThat(ready.director()).isSameAs(director);
    assertThat(ready.origins()).isEqualTo(SetOrigins.NONE);
  }

  @Test
  void anInstanceCarriesItsOwnServersThenTheSetsAndNamesNoSetAnyMore() throws Exception {
    Director director = naming(2, API);
    director.getMetadata().setUid("uid-1");
    director.getMetadata().setGeneration(7L);

    DirectorSets.Ready ready = ready(DirectorSets.resolve(director, holding(set(2, WEB))));

    VrrpInstance instance = ready.director().getSpec().vrrpInstances().get(0);
    assertThat(instance.virtualServers())
        .extracting(VirtualServer::name)
        .containsExactly("lab/api/443-tcp", "lab/web/80-tcp");
    assertThat(instance.virtualServerSet()).isNull();
    assertThat(instance.withServers(null, null))
        .isEqualTo(director.getSpec().vrrpInstances().get(0).withoutServers());
    assertThat(ready.director().getMetadata().getUid()).isEqualTo("uid-1");
    assertThat(ready.director().getMetadata().getGeneration()).isEqualTo(7L);
    assertThat(ready.origins().byInstance())
        .containsExactly(Map.entry("VI_1", new SetOrigins.Origin(SET, 2, 1)));
    assertThat(director.getSpec().vrrpInstances().get(0).virtualServerSet()).isNotNull();

    MappedDirector mapped =
        DirectorSpecs.map(
            ready.director(), ready.origins(), TestDirectors.SECRETS, InterfaceResolver.NONE);
    assertThat(mapped.virtualServerIdsByName())
        .containsExactly(
            Map.entry("lab/api/443-tcp", "198.18.0.50:443/TCP"),
            Map.entry("lab/web/80-tcp", "198.18.0.50:80/TCP"));
  }

  @Test
  void aSetNotHeldYetIsWaitedFor() {
    DirectorSets.Resolution resolution = DirectorSets.resolve(naming(2), holding());

    assertThat(resolution)
        .isEqualTo(
            new DirectorSets.Waiting(List.of(new DirectorSets.Missing(SET, 2, Optional.empty()))));
  }

  @Test
  void aSetOlderThanTheDirectorNeedsIsWaitedFor() {
    DirectorSets.Resolution resolution = DirectorSets.resolve(naming(2), holding(set(1, WEB)));

    assertThat(resolution)
        .isEqualTo(
            new DirectorSets.Waiting(List.of(new DirectorSets.Missing(SET, 2, Optional.of(1L)))));
  }

  @Test
  void aSetNewerThanTheDirectorNeedsIsRunAsHeld() {
    DirectorSets.Ready ready = ready(DirectorSets.resolve(naming(2), holding(set(3, WEB, API))));

    assertThat(ready.director().getSpec().vrrpInstances().get(0).virtualServers())
        .extracting(VirtualServer::name)
        .containsExactly("lab/web/80-tcp", "lab/api/443-tcp");
    assertThat(ready.origins().byInstance().get("VI_1").generation()).isEqualTo(3);
  }

  @Test
  void aSetOfAnotherInstanceIsRefusedNamingTheSet() {
    VirtualServerSet other = TestSets.set(SET, TestSets.POOL, "VI_2", 1, WEB);

    assertThat(problems(DirectorSets.resolve(naming(1), holding(other))))
        .containsExactly(
            "spec.vrrpInstances[VI_1].virtualServerSet: VirtualServerSet seed.99 holds the servers"
                + " of instance \"VI_2\", not of \"VI_1\"");
  }

  @Test
  void aSetOfAnotherPoolIsRefusedNamingTheSet() {
    VirtualServerSet other = TestSets.set(SET, "blue", "VI_1", 1, WEB);

    assertThat(problems(DirectorSets.resolve(naming(1), holding(other))))
        .containsExactly(
            "spec.vrrpInstances[VI_1].virtualServerSet: VirtualServerSet seed.99 is of pool"
                + " \"blue\", not of the Director's pool \"seed\"");
  }

  @Test
  void aDirectorOfNoPoolCannotNameASet() {
    Director poolless =
        TestDirectors.parse(
            TestDirectors.yaml(TestSets.namingSpec(1)).replace("  poolName: seed\n", ""));

    assertThat(problems(DirectorSets.resolve(poolless, holding(set(1, WEB)))))
        .containsExactly("spec.poolName: missing: the VirtualServerSets named are found by pool");
  }

  @Test
  void aServerOfTheSetOffTheInstancesVipsIsRefusedAtTheSetsPath() {
    String elsewhere = WEB.replace("198.18.0.50", "198.18.0.60");

    assertThat(mappingProblems(naming(1), set(1, elsewhere)))
        .containsExactly(
            "VirtualServerSet seed.99 spec.virtualServers[lab/web/80-tcp].vip: 198.18.0.60 is"
                + " not a VIP of its VRRP instance VI_1, so this node would never receive its"
                + " traffic by VRRP");
  }

  @Test
  void aNameBothInlineAndInTheSetIsRefusedAtTheSetsPath() {
    String sameName = API.replace("lab/api/443-tcp", "lab/web/80-tcp");

    assertThat(mappingProblems(naming(1, WEB), set(1, API, sameName)))
        .containsExactly(
            "VirtualServerSet seed.99 spec.virtualServers[1].name: \"lab/web/80-tcp\" is already"
                + " the name of spec.vrrpInstances[VI_1].virtualServers[0]");
  }

  @Test
  void aServiceBothInlineAndInTheSetIsRefusedAtTheSetsPath() {
    String sameService = WEB.replace("lab/web/80-tcp", "lab/www/80-tcp");

    assertThat(mappingProblems(naming(1, WEB), set(1, sameService)))
        .containsExactly(
            "VirtualServerSet seed.99 spec.virtualServers[lab/www/80-tcp]: IPVS service"
                + " 198.18.0.50:80/TCP is also spec.vrrpInstances[VI_1].virtualServers[lab/web/80-tcp]");
  }

  @Test
  void aDirectorStillNamingASetIsRefusedByTheMapping() {
    assertThat(TestDirectors.problems(naming(1, WEB)))
        .containsExactly(
            "spec.vrrpInstances[VI_1].virtualServerSet: VirtualServerSet seed.99 was not resolved"
                + " into the instance's virtualServers");
  }

  // --- helpers

  /** The sets held, by name. */
  private static Function<String, Optional<VirtualServerSet>> holding(VirtualServerSet... sets) {
    return name ->
        Arrays.stream(sets).filter(s -> s.getMetadata().getName().equals(name)).findFirst();
  }

  private static DirectorSets.Ready ready(DirectorSets.Resolution resolution) {
    assertThat(resolution).isInstanceOf(DirectorSets.Ready.class);
    return (DirectorSets.Ready) resolution;
  }

  private static List<String> problems(DirectorSets.Resolution resolution) {
    assertThat(resolution).isInstanceOf(DirectorSets.Invalid.class);
    return ((DirectorSets.Invalid) resolution)
        .problems().stream().map(DirectorSpecProblem::toString).toList();
  }

  /** The problems the mapping refuses {@code director} resolved with {@code set} for. */
  private static List<String> mappingProblems(Director director, VirtualServerSet set) {
    DirectorSets.Ready ready = ready(DirectorSets.resolve(director, holding(set)));
    DirectorSpecException refused =
        catchThrowableOfType(
            DirectorSpecException.class,
            () ->
                DirectorSpecs.map(
                    ready.director(),
                    ready.origins(),
                    TestDirectors.SECRETS,
                    InterfaceResolver.NONE));
    assertThat(refused).as("the mapping refuses the spec").isNotNull();
    return refused.problems().stream().map(DirectorSpecProblem::toString).toList();
  }
}
