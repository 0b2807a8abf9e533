package io.kubelvs.agent.netlink;

import java.util.List;

/**
 * Generic netlink over a NETLINK_GENERIC socket: resolves families by name through the controller
 * (nlctrl) and builds their messages. Family layers such as IPVS sit on top of it.
 */
public final class GenericNetlink implements AutoCloseable {
  private final NetlinkSocket socket;

  public GenericNetlink(NetlinkSocket socket) {
    if (socket.protocol() != Netlink.NETLINK_GENERIC) {
      throw new IllegalArgumentException(
          "generic netlink needs a NETLINK_GENERIC socket, not protocol " + socket.protocol());
    }
    this.socket = socket;
  }

  public static GenericNetlink open() {
    return new GenericNetlink(NetlinkSocket.open(Netlink.NETLINK_GENERIC));
  }

  public static GenericNetlink open(NetlinkSocketOptions options) {
    return new GenericNetlink(NetlinkSocket.open(Netlink.NETLINK_GENERIC, options));
  }

  /**
   * Looks a family up by name (CTRL_CMD_GETFAMILY).
   *
   * @throws NetlinkException with ENOENT when the kernel has no such family, saying so
   */
  public GenlFamily resolveFamily(String name) {
    NetlinkMessage query =
        message(
            Genetlink.GENL_ID_CTRL,
            new GenlHeader(Genetlink.CTRL_CMD_GETFAMILY, Genetlink.CTRL_VERSION),
            new AttributeWriter().string(Genetlink.CTRL_ATTR_FAMILY_NAME, name));
    String operation = "CTRL_CMD_GETFAMILY \"" + name + "\"";
    List<NetlinkMessage> replies;
    try {
      replies = socket.request(query, operation);
    } catch (NetlinkException e) {
      if (e.is(Errno.ENOENT)) {
        throw new NetlinkException(
            operation,
            e.errno(),
            e.kernelMessage().orElse(null),
            "generic netlink family \"" + name + "\" is not available in this kernel");
      }
      throw e;
    }
    if (replies.isEmpty()) {
      throw new NetlinkFormatException(operation + ": the kernel acknowledged without a reply");
    }
    return GenlFamily.decode(replies.get(0));
  }

  /**
   * A generic netlink message: genlmsghdr, then the family's attributes. The socket adds the
   * request flags and sequence number when it sends.
   *
   * @param attributes written without a header; {@link AttributeWriter#header} is for other
   *     protocols' fixed headers
   */
  public static NetlinkMessage message(
      int familyId, GenlHeader header, AttributeWriter attributes) {
    byte[] body = attributes.toByteArray();
    byte[] payload = new byte[GenlHeader.LENGTH + body.length];
    System.arraycopy(header.encode(), 0, payload, 0, GenlHeader.LENGTH);
    System.arraycopy(body, 0, payload, GenlHeader.LENGTH, body.length);
    return NetlinkMessage.request(familyId, 0, payload);
  }

  public NetlinkSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    socket.close();
  }
}
