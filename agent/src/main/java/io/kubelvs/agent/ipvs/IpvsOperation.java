package io.kubelvs.agent.ipvs;

/** One change to the kernel's IPVS table: one generic-netlink request. */
public sealed interface IpvsOperation {

  /** The service the operation is about. */
  ServiceKey serviceKey();

  /** IPVS_CMD_NEW_SERVICE (ipvsadm -A). */
  record AddService(IpvsService service) implements IpvsOperation {
    @Override
    public ServiceKey serviceKey() {
      return service.key();
    }

    @Override
    public String toString() {
      return "IPVS_CMD_NEW_SERVICE " + service.key();
    }
  }

  /** IPVS_CMD_SET_SERVICE (ipvsadm -E): changes settings in place, connections survive. */
  record EditService(IpvsService service) implements IpvsOperation {
    @Override
    public ServiceKey serviceKey() {
      return service.key();
    }

    @Override
    public String toString() {
      return "IPVS_CMD_SET_SERVICE " + service.key();
    }
  }

  /** IPVS_CMD_DEL_SERVICE (ipvsadm -D). */
  record DeleteService(ServiceKey serviceKey) implements IpvsOperation {
    @Override
    public String toString() {
      return "IPVS_CMD_DEL_SERVICE " + serviceKey;
    }
  }

  /** IPVS_CMD_NEW_DEST (ipvsadm -a). */
  record AddDestination(ServiceKey serviceKey, Destination destination) implements IpvsOperation {
    @Override
    public String toString() {
      return "IPVS_CMD_NEW_DEST " + destination.key() + " → " + serviceKey;
    }
  }

  /** IPVS_CMD_SET_DEST (ipvsadm -e). */
  record EditDestination(ServiceKey serviceKey, Destination destination) implements IpvsOperation {
    @Override
    public String toString() {
      return "IPVS_CMD_SET_DEST " + destination.key() + " → " + serviceKey;
    }
  }

  /** IPVS_CMD_DEL_DEST (ipvsadm -d). */
  record DeleteDestination(ServiceKey serviceKey, DestinationKey destination)
      implements IpvsOperation {
    @Override
    public String toString() {
      return "IPVS_CMD_DEL_DEST " + destination + " → " + serviceKey;
    }
  }
}
