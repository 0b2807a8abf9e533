package io.kubelvs.agent.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Text forms of address:port as ipvsadm prints them. */
public final class Endpoints {
  private Endpoints() {}

  /** {@code 198.18.0.50:80}, or {@code [2001:db8::1]:80}. */
  public static String format(InetAddress address, int port) {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return host + ":" + port;
  }
}
