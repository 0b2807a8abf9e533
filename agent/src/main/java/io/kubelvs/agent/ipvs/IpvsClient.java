package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.netlink.AttributeWriter;
import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.GenericNetlink;
import io.kubelvs.agent.netlink.GenlFamily;
import io.kubelvs.agent.netlink.NetlinkException;
import io.kubelvs.agent.netlink.NetlinkMessage;
import io.kubelvs.agent.netlink.NetlinkReply;
import io.kubelvs.agent.netlink.NetlinkRequest;
import io.kubelvs.agent.netlink.NetlinkSocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's IPVS table over generic netlink (the command set of include/uapi/linux/ip_vs.h),
 * what ipvsadm does with one request per change. Many changes go out together in as few datagrams
 * as the socket allows. Not thread-safe: one owner at a time.
 */
public final class IpvsClient implements IpvsTable, AutoCloseable {
  private static final String BATCH_DESCRIPTION = "IPVS batch request";

  private final GenericNetlink genl;
  private final int familyId;

  private IpvsClient(GenericNetlink genl, int familyId) {
    this.genl = genl;
    this.familyId = familyId;
  }

  /**
   * Connects to the IPVS family of the current network namespace.
   *
   * @throws IpvsException when the kernel has no IPVS, saying how to load it
   */
  public static IpvsClient open() {
    return open(NetlinkSocketOptions.defaults());
  }

  public static IpvsClient open(NetlinkSocketOptions options) {
    GenericNetlink genl = GenericNetlink.open(options);
    try {
      GenlFamily family = genl.resolveFamily(IpvsGenl.IPVS_GENL_NAME);
      return new IpvsClient(genl, family.id());
    } catch (NetlinkException e) {
      genl.close();
      if (e.is(Errno.ENOENT)) {
        throw new IpvsException(
            "the kernel has no IPVS (generic netlink family \"IPVS\" is missing): load it with"
                + " `modprobe ip_vs` (and the scheduler modules, e.g. ip_vs_rr), or run the agent"
                + " where the ip_vs module is available",
            e.errnoName(),
            e);
      }
      throw wrap(e);
    }
  }

  /** IPVS_CMD_GET_INFO: version and connection table size (ipvsadm's first line). */
  public IpvsInfo info() {
    return IpvsCodec.decodeInfo(single(IpvsGenl.IPVS_CMD_GET_INFO, "IPVS_CMD_GET_INFO"));
  }

  /** IPVS_CMD_GET_CONFIG: the connection timeouts (ipvsadm -L --timeout). */
  public IpvsTimeouts timeouts() {
    return IpvsCodec.decodeTimeouts(single(IpvsGenl.IPVS_CMD_GET_CONFIG, "IPVS_CMD_GET_CONFIG"));
  }

  /** IPVS_CMD_SET_CONFIG (ipvsadm --set); a zero leaves that timeout unchanged. */
  public void setTimeouts(IpvsTimeouts timeouts) {
    call(IpvsCodec.timeoutsRequest(familyId, timeouts), "IPVS_CMD_SET_CONFIG " + timeouts);
  }

  @Override
  public List<ObservedService> services() {
    NetlinkMessage query =
        IpvsCodec.request(familyId, IpvsGenl.IPVS_CMD_GET_SERVICE, new AttributeWriter());
    try {
      return genl.socket().dump(query, "IPVS_CMD_GET_SERVICE dump").stream()
          .map(IpvsCodec::decodeService)
          .toList();
    } catch (NetlinkException e) {
      throw wrap(e);
    }
  }

  @Override
  public List<ObservedDestination> destinations(ServiceKey service) {
    NetlinkMessage query = IpvsCodec.destinationsQuery(familyId, service);
    try {
      return genl.socket().dump(query, "IPVS_CMD_GET_DEST dump of " + service).stream()
          .map(m -> IpvsCodec.decodeDestination(m, service.family()))
          .toList();
    } catch (NetlinkException e) {
      throw wrap(e);
    }
  }

  @Override
  public List<OperationResult> apply(List<IpvsOperation> operations) {
    List<NetlinkRequest> requests = new ArrayList<>(operations.size());
    for (IpvsOperation op : operations) {
      // Describing 50,000 operations costs more than sending them: name one only if it fails.
      requests.add(new NetlinkRequest(IpvsCodec.encode(familyId, op), BATCH_DESCRIPTION));
    }
    List<NetlinkReply> replies;
    try {
      replies = genl.socket().requestAll(requests);
    } catch (NetlinkException e) {
      throw wrap(e);
    }
    List<OperationResult> results = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      NetlinkReply reply = replies.get(i);
      IpvsOperation op = operations.get(i);
      results.add(new OperationResult(op, reply.failed() ? describe(reply.error(), op) : null));
    }
    return results;
  }

  /** Applies one operation and throws when the kernel refuses it. */
  public void apply(IpvsOperation operation) {
    IpvsException error = apply(List.of(operation)).get(0).error();
    if (error != null) {
      throw error;
    }
  }

  /** Requests sent on this client's socket so far: a benchmark counts changes with it. */
  public long requestsSent() {
    return genl.socket().requestsSent();
  }

  @Override
  public void close() {
    genl.close();
  }

  private NetlinkMessage single(int command, String description) {
    List<NetlinkMessage> replies =
        call(IpvsCodec.request(familyId, command, new AttributeWriter()), description);
    if (replies.isEmpty()) {
      throw new IpvsException(description + ": the kernel acknowledged without a reply");
    }
    return replies.get(0);
  }

  private List<NetlinkMessage> call(NetlinkMessage message, String description) {
    try {
      return genl.socket().request(message, description);
    } catch (NetlinkException e) {
      throw wrap(e);
    }
  }

  /** The kernel's refusal, named after the operation it refused. */
  private static IpvsException describe(NetlinkException e, IpvsOperation op) {
    NetlinkException named =
        new NetlinkException(op.toString(), e.errno(), e.kernelMessage().orElse(null));
    return new IpvsException(named.getMessage(), e.errnoName(), e);
  }

  private static IpvsException wrap(NetlinkException e) {
    return new IpvsException(e.getMessage(), e.errnoName(), e);
  }
}
