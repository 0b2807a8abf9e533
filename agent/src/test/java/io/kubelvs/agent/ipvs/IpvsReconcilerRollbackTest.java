package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.desired;
import static io.kubelvs.agent.ipvs.IpvsFixtures.nat;
import static io.kubelvs.agent.ipvs.IpvsFixtures.service;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubelvs.agent.ipvs.FakeIpvsTable.SimulatedCrash;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A refused operation leaves the table as it was read (invariant 4), and an agent killed mid-apply
 * converges on its next run without touching foreign rules. The change planned here has one
 * operation of every kind, so a refusal or a crash is tried at every position.
 */
class IpvsReconcilerRollbackTest {
  static final ServiceKey WEB = tcp("198.18.0.50", 80);
  static final ServiceKey OLD = tcp("198.18.0.51", 80);
  static final ServiceKey NEW = tcp("198.18.0.52", 80);
  static final ServiceKey FOREIGN = tcp("198.18.0.99", 443);
  static final int PLANNED_OPERATIONS = 7;

  final FakeIpvsTable table = new FakeIpvsTable();
  final InMemoryOwnedServicesStore store = new InMemoryOwnedServicesStore();

  static List<DesiredService> before() {
    return List.of(
        desired(
            service(WEB, "rr"),
            nat("198.18.1.1", 80, 1),
            nat("198.18.1.2", 80, 1),
            nat("198.18.1.3", 80, 1)),
        desired(service(OLD, "rr").withPersistence(300, 0xFFFF_FFFF), nat("198.18.2.1", 80, 4)));
  }

  /**
   * DeleteService OLD; EditService, DeleteDestination, EditDestination, AddDestination on WEB;
   * AddService and AddDestination NEW.
   */
  static List<DesiredService> after() {
    return List.of(
        desired(
            service(WEB, "wlc"),
            nat("198.18.1.1", 80, 9),
            nat("198.18.1.2", 80, 1),
            nat("198.18.1.4", 80, 1)),
        desired(service(NEW, "rr"), nat("198.18.3.1", 80, 1)));
  }

  @BeforeEach
  void programBeforeBesideAForeignRule() {
    table.program(service(FOREIGN, "wrr"), nat("198.18.9.1", 443, 2));
    new IpvsReconciler(table, store).reconcile(before());
  }

  @Test
  void theChangeUsesEveryKindOfOperation() {
    ReconcileResult result = new IpvsReconciler(table, store).reconcile(after());

    assertThat(result.counts()).isEqualTo(new ReconcileResult.OperationCounts(1, 1, 1, 2, 1, 1));
    assertThat(result.counts().total()).isEqualTo(PLANNED_OPERATIONS);
  }

  @ParameterizedTest(name = "operation {0} refused")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void aRefusalRollsBackToExactlyTheTableBefore(int refused) {
    String tableBefore = table.dump();
    Set<ServiceKey> ownedBefore = store.load();
    table.refuse(refused, new IpvsException("IPVS_CMD_X refused on purpose: EPERM", "EPERM", null));

    IpvsReconcileException error =
        catchThrowableOfType(
            IpvsReconcileException.class,
            () -> new IpvsReconciler(table, store).reconcile(after()));

    assertThat(error.tableUnchanged()).isTrue();
    assertThat(error.refused()).isNotEmpty();
    assertThat(error.getMessage()).contains("IPVS_CMD_X refused on purpose: EPERM");
    assertThat(table.dump()).isEqualTo(tableBefore);
    assertThat(store.load()).isEqualTo(ownedBefore);
  }

  @Test
  void refusalIsReportedWithTheKernelsWords() {
    table.refuse(
        6,
        new IpvsException(
            "IPVS_CMD_NEW_SERVICE 198.18.0.52:80/TCP: ENOENT (No such file or directory):"
                + " scheduler \"rr\" not loaded?",
            "ENOENT",
            null));

    IpvsReconcileException error =
        catchThrowableOfType(
            IpvsReconcileException.class,
            () -> new IpvsReconciler(table, store).reconcile(after()));

    assertThat(error.errnoName()).isEqualTo("ENOENT");
    assertThat(error.getMessage())
        .startsWith("the kernel refused 2 of 7 IPVS operations; the 5 accepted were rolled back")
        .contains(
            "\n  IPVS_CMD_NEW_SERVICE 198.18.0.52:80/TCP: ENOENT (No such file or directory):"
                + " scheduler \"rr\" not loaded?",
            "\n  IPVS_CMD_NEW_DEST 198.18.3.1:80 → 198.18.0.52:80/TCP: ESRCH (No such process)");
  }

  @Test
  void aServiceWhoseRollbackIsRefusedTooStaysOwned() {
    ServiceKey extra = tcp("198.18.0.60", 80);
    List<DesiredService> withExtra =
        List.of(
            before().get(0),
            before().get(1),
            desired(service(extra, "rr"), nat("198.18.4.1", 80, 1)));
    table.refuse(2, new IpvsException("IPVS_CMD_NEW_DEST refused", "ENOMEM", null));
    table.refuse(3, new IpvsException("IPVS_CMD_DEL_SERVICE refused", "ENOMEM", null));

    IpvsReconcileException error =
        catchThrowableOfType(
            IpvsReconcileException.class,
            () -> new IpvsReconciler(table, store).reconcile(withExtra));

    assertThat(error.tableUnchanged()).isFalse();
    assertThat(error.getMessage()).contains("the table is partly changed", "rollback: ");
    assertThat(store.load()).contains(extra);
  }

  @ParameterizedTest(name = "killed after {0} operations")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
  void aFreshAgentConvergesAfterACrashMidApply(int applied) {
    String foreignBefore = table.dump(FOREIGN);
    table.crashAfter(applied);
    assertThatThrownBy(() -> new IpvsReconciler(table, store).reconcile(after()))
        .isInstanceOf(SimulatedCrash.class);

    ReconcileResult next = new IpvsReconciler(table, store).reconcile(after());

    assertThat(next.conflicts()).isEmpty();
    assertThat(table.dump(FOREIGN)).isEqualTo(foreignBefore);
    assertThat(table.dump()).isEqualTo(withForeign(after()));
    assertThat(store.load()).containsExactlyInAnyOrder(WEB, NEW);
  }

  private static String withForeign(List<DesiredService> ours) {
    FakeIpvsTable expected = new FakeIpvsTable();
    expected.program(service(FOREIGN, "wrr"), nat("198.18.9.1", 443, 2));
    ours.forEach(s -> expected.program(s.service(), s.destinations().toArray(Destination[]::new)));
    return expected.dump();
  }
}
