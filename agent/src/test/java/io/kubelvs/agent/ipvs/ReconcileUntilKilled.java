package io.kubelvs.agent.ipvs;

import java.nio.file.Path;
import java.util.List;

/**
 * A reconciler process for the kill-mid-apply test: reconciles {@code COUNT} services with the
 * owned set in {@code STORE}, and prints "applying" the moment its first batch goes to the kernel,
 * so the test can kill it while the batch is in flight.
 */
final class ReconcileUntilKilled {
  private ReconcileUntilKilled() {}

  public static void main(String[] args) {
    Path store = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (IpvsClient client = IpvsClient.open()) {
      IpvsTable announcing = new AnnouncingTable(client);
      new IpvsReconciler(announcing, OwnedServicesStore.file(store))
          .reconcile(LabServices.services(count, 1));
    }
    System.out.println("done");
  }

  private record AnnouncingTable(IpvsClient client) implements IpvsTable {
    @Override
    public List<ObservedService> services() {
      return client.services();
    }

    @Override
    public List<ObservedDestination> destinations(ServiceKey service) {
      return client.destinations(service);
    }

    @Override
    public List<OperationResult> apply(List<IpvsOperation> operations) {
      System.out.println("applying");
      System.out.flush();
      return client.apply(operations);
    }
  }
}
