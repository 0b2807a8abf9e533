package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status folds of the last pass, kept so that the next pass folds again only what changed: one
 * pass per change of any Director, set or service would otherwise fold all of them (5,000 services
 * take tens of milliseconds and a young collection's worth of garbage).
 *
 * <p>A service's fold reads its VirtualService, its plan outcome and, of each Director carrying it,
 * the spec, the status, the sets holding the service, the agent's silence and whether the agent
 * applied the service's entries. The informers replace an object when it changes, so where all of
 * these are the very objects of the last fold (the outcome: an equal one) and applied reads the
 * same, the last fold's status is the fold's status again. A DirectorView is kept while its
 * Director, the sets its instances name and its silence are the same.
 *
 * <p>Not thread-safe: one status loop owns it.
 */
public final class StatusFolds {
  private Map<String, KeptView> views = Map.of();
  private Map<VirtualServiceKey, Kept> folds = Map.of();
  private int foldedLastPass;
  private DirectorView.ChangedAt lastChangedAt;
  private long lastVersion;
  private Map<VirtualServiceKey, VirtualServiceOutcome> lastOutcomes;

  private record KeptView(
      Director director,
      List<VirtualServerSet> sets,
      Optional<Instant> silentSince,
      DirectorView.ChangedAt changedAt,
      DirectorView view) {

    boolean same(
        Director d,
        List<VirtualServerSet> named,
        Optional<Instant> silent,
        DirectorView.ChangedAt at) {
      if (director != d || changedAt != at || !silentSince.equals(silent)) {
        return false;
      }
      if (sets.size() != named.size()) {
        return false;
      }
      for (int i = 0; i < sets.size(); i++) {
        if (sets.get(i) != named.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** A service's last fold, and whether it differs from the status its VirtualService has. */
  private record Kept(
      VirtualService vs,
      VirtualServiceOutcome outcome,
      List<DirectorView> mine,
      boolean[] applied,
      VirtualServiceStatus status,
      boolean differs) {}

  /**
   * Every Director as the fold reads it, by node name; a view is built again only where its inputs
   * changed.
   */
  public List<DirectorView> views(
      List<Director> directors,
      Map<String, VirtualServerSet> sets,
      Map<String, Instant> silent,
      DirectorView.ChangedAt changedAt) {
    Map<String, KeptView> next = new HashMap<>();
    List<DirectorView> result = new ArrayList<>(directors.size());
    for (Director d : directors) {
      String name = d.getMetadata().getName();
      List<VirtualServerSet> named = named(d, sets);
      Optional<Instant> silence = Optional.ofNullable(silent.get(name));
      KeptView kept = views.get(name);
      if (kept == null || !kept.same(d, named, silence, changedAt)) {
        kept =
            new KeptView(
                d, named, silence, changedAt, DirectorView.of(d, sets, silence, changedAt));
      }
      next.put(name, kept);
      result.add(kept.view());
    }
    views = next;
    result.sort(Comparator.comparing(DirectorView::node));
    return result;
  }

  /** The sets the Director's instances name, in instance order (null where a set is missing). */
  private static List<VirtualServerSet> named(Director d, Map<String, VirtualServerSet> sets) {
    if (d.getSpec() == null) {
      return List.of();
    }
    List<VirtualServerSet> named = new ArrayList<>();
    for (VrrpInstance i : DirectorView.nullToEmpty(d.getSpec().vrrpInstances())) {
      if (i.virtualServerSet() != null) {
        named.add(sets.get(i.virtualServerSet().name()));
      }
    }
    return named;
  }

  /**
   * Folds every service that has an outcome; returns the statuses that differ from the one its
   * VirtualService has, by service.
   *
   * @param directors the views from {@link #views}, by node name
   * @param changedAt what the views were built with; while its {@link
   *     DirectorView.ChangedAt#version()} is the same, a view that is the same object answers
   *     {@link DirectorView#appliedFor} as before
   */
  public Map<VirtualServiceKey, VirtualServiceStatus> fold(
      List<VirtualService> services,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes,
      List<DirectorView> directors,
      DirectorView.ChangedAt changedAt,
      Instant now) {
    Map<VirtualServiceKey, List<DirectorView>> carrying = new HashMap<>();
    for (DirectorView d : directors) {
      for (VirtualServiceKey key : d.services()) {
        carrying.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
      }
    }
    long version = changedAt.version();
    boolean sameChanges = changedAt == lastChangedAt && version == lastVersion;
    boolean sameOutcomes = outcomes == lastOutcomes;
    Map<VirtualServiceKey, Kept> next = new HashMap<>();
    Map<VirtualServiceKey, VirtualServiceStatus> changed = new HashMap<>();
    int folded = 0;
    for (VirtualService vs : services) {
      VirtualServiceKey key = VirtualServiceKey.of(vs);
      Kept kept = folds.get(key);
      boolean sameVs = kept != null && kept.vs() == vs;
      VirtualServiceOutcome outcome = sameVs && sameOutcomes ? kept.outcome() : outcomes.get(key);
      if (outcome == null) {
        continue;
      }
      List<DirectorView> mine = carrying.getOrDefault(key, List.of());
      boolean[] applied = new boolean[mine.size()];
      for (int i = 0; i < applied.length; i++) {
        DirectorView view = mine.get(i);
        applied[i] =
            sameVs && sameChanges && i < kept.mine().size() && kept.mine().get(i) == view
                ? kept.applied()[i]
                : view.appliedFor(key);
      }
      if (sameVs && same(kept, outcome, mine, applied, key)) {
        // Keep the current views, not the ones it was folded with: those would stay alive.
        kept = new Kept(vs, kept.outcome(), mine, applied, kept.status(), kept.differs());
      } else {
        VirtualServiceStatus status = VirtualServiceStatuses.foldCarried(vs, outcome, mine, now);
        kept = new Kept(vs, outcome, mine, applied, status, !status.equals(vs.getStatus()));
        folded++;
      }
      next.put(key, kept);
      if (kept.differs()) {
        changed.put(key, kept.status());
      }
    }
    folds = next;
    foldedLastPass = folded;
    lastChangedAt = changedAt;
    lastVersion = version;
    lastOutcomes = outcomes;
    return changed;
  }

  private static boolean same(
      Kept kept,
      VirtualServiceOutcome outcome,
      List<DirectorView> mine,
      boolean[] applied,
      VirtualServiceKey key) {
    if (kept.mine().size() != mine.size()
        || (kept.outcome() != outcome && !kept.outcome().equals(outcome))) {
      return false;
    }
    for (int i = 0; i < applied.length; i++) {
      DirectorView view = mine.get(i);
      DirectorView then = kept.mine().get(i);
      if (kept.applied()[i] != applied[i] || (view != then && !view.sameFor(then, key))) {
        return false;
      }
    }
    return true;
  }

  /** How many services the last {@link #fold} folded anew (the others kept their status). */
  public int foldedLastPass() {
    return foldedLastPass;
  }
}
