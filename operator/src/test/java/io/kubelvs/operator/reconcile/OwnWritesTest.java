package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnWritesTest {
  private final OwnWrites own = new OwnWrites();

  @Test
  void aDirectorStillAtTheVersionTheWriteStartedFromIsReadAsTheAnswer() {
    Director answer = director("director-1", "11", "seed-b");
    own.wrote("10", answer);

    assertThat(own.overlay(List.of(director("director-1", "10", "seed-a"))))
        .containsExactly(answer);
    assertThat(own.isEcho(director("director-1", "11", "seed-b"))).isTrue();
  }

  @Test
  void aCachedDirectorAtAnyOtherVersionWinsAndTheWriteIsForgotten() {
    own.wrote("10", director("director-1", "11", "seed-b"));
    Director newer = director("director-1", "12", "seed-c");

    assertThat(own.overlay(List.of(newer))).containsExactly(newer);
    // Forgotten: even the cache going back to the start version reads as it is.
    Director old = director("director-1", "10", "seed-a");
    assertThat(own.overlay(List.of(old))).containsExactly(old);
    assertThat(own.isEcho(director("director-1", "11", "seed-b"))).isFalse();
  }

  @Test
  void aCreatedDirectorTheCacheDoesNotHoldYetIsAdded() {
    Director created = director("director-2", "5", "seed");
    own.wrote(null, created);
    Director other = director("director-1", "3", "seed");

    assertThat(own.overlay(List.of(other))).containsExactly(other, created);

    own.deleted(created);
    assertThat(own.overlay(List.of(other))).containsExactly(other);
  }

  @Test
  void aDirectorWithTheSpecLastPlannedIsNoNewsWhateverItsVersion() {
    Director planned = director("director-1", null, "seed");
    own.planned("director-1", planned.getSpec());

    assertThat(own.isPlanned(director("director-1", "11", "seed"))).isTrue();
    assertThat(own.isPlanned(director("director-1", "12", "other"))).isFalse();
    assertThat(own.isPlanned(director("director-2", "11", "seed"))).isFalse();
    own.deleted(planned);
    assertThat(own.isPlanned(director("director-1", "11", "seed"))).isFalse();
  }

  @Test
  void aStatusWriteMakesItsVersionAnEchoAndOnlyThat() {
    VirtualService written = service("web", "7");
    own.status(written);

    assertThat(own.isEcho(service("web", "7"))).isTrue();
    assertThat(own.isEcho(service("web", "8"))).isFalse();
    assertThat(own.isEcho(service("other", "7"))).isFalse();
    assertThat(own.isEcho(director("web", "7", "seed"))).isFalse();
  }

  @Test
  void aSetAndADirectorOfOneNameAreKeptApart() {
    VirtualServerSet set = set("seed.99", "21");
    own.wrote("20", set);
    own.wrote("10", director("seed.99", "11", "seed"));

    assertThat(own.overlay(VirtualServerSet.class, List.of(set("seed.99", "20"))))
        .containsExactly(set);
    assertThat(own.isEcho(set("seed.99", "21"))).isTrue();
    assertThat(own.isEcho(set("seed.99", "11"))).isFalse();
    own.deleted(set);
    assertThat(own.isEcho(director("seed.99", "11", "seed"))).isTrue();
  }

  @Test
  void whenAServiceLastChangedIsKeptPerSetApartFromTheDirectors() {
    VirtualServiceKey web = new VirtualServiceKey("default", "web");
    VirtualServiceKey db = new VirtualServiceKey("default", "db");
    own.setChanged("seed.99", 4, 5, Set.of(web));
    own.setChanged("seed.99", 5, 6, Set.of(db));

    assertThat(own.setGeneration("seed.99", web)).hasValue(5);
    assertThat(own.setGeneration("seed.99", db)).hasValue(6);
    // Not written since this process began: every service's entries are no newer than that.
    assertThat(own.setGeneration("seed.99", new VirtualServiceKey("default", "x"))).hasValue(4);
    assertThat(own.setGeneration("seed.100", web)).isEmpty();
    assertThat(own.generation("seed.99", web)).isEmpty();
  }

  private static VirtualServerSet set(String name, String resourceVersion) {
    VirtualServerSet s = new VirtualServerSet();
    s.setMetadata(
        new ObjectMetaBuilder().withName(name).withResourceVersion(resourceVersion).build());
    s.setSpec(new VirtualServerSetSpec("seed", "seed-99", List.of()));
    return s;
  }

  private static Director director(String name, String resourceVersion, String pool) {
    Director d = new Director();
    d.setMetadata(
        new ObjectMetaBuilder().withName(name).withResourceVersion(resourceVersion).build());
    d.setSpec(new DirectorSpec(name, pool, List.of(), List.of(), null));
    return d;
  }

  private static VirtualService service(String name, String resourceVersion) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("default")
            .withName(name)
            .withResourceVersion(resourceVersion)
            .build());
    return vs;
  }
}
