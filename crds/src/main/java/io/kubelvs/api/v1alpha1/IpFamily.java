package io.kubelvs.api.v1alpha1;

/** Address family, as Kubernetes Services spell it. */
public enum IpFamily {
  IPv4,
  IPv6
}
