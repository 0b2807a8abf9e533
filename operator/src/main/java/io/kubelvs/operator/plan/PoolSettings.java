package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorPoolSpec;
import io.kubelvs.api.v1alpha1.GratuitousArp;
import io.kubelvs.api.v1alpha1.InterfaceSelector;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Notification;
import io.kubelvs.api.v1alpha1.VrrpAuthentication;
import io.kubelvs.api.v1alpha1.VrrpPriorities;
import io.kubelvs.api.v1alpha1.VrrpSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DirectorPool's spec with the CRD's defaults filled in and its address ranges parsed. The API
 * server applies the defaults on write, but objects built in code (tests, a dry run) have none.
 */
record PoolSettings(
    String name,
    Seniority seniority,
    LabelSelector nodeSelector,
    InterfaceSelector networkInterface,
    int version,
    String advertInterval,
    String multicastGroup,
    String multicastGroup6,
    boolean unicast,
    int firstVrid,
    int lastVrid,
    VrrpAuthentication authentication,
    boolean preempt,
    String preemptDelay,
    int highestPriority,
    int priorityStep,
    int maxVipsPerInstance,
    GratuitousArp gratuitousArp,
    List<AddressRange> vipRanges,
    Notification notification) {

  /**
   * Reads a pool.
   *
   * @throws IllegalArgumentException with a message naming the field when the spec cannot work
   */
  static PoolSettings of(DirectorPool pool) {
    DirectorPoolSpec spec = pool.getSpec();
    String name = pool.getMetadata().getName();
    if (spec == null || spec.nodeSelector() == null) {
      throw new IllegalArgumentException("spec.nodeSelector is missing");
    }
    LabelSelectors.check(spec.nodeSelector());
    if (spec.networkInterface() == null) {
      throw new IllegalArgumentException("spec.interface is missing");
    }
    VrrpSettings vrrp =
        Optional.ofNullable(spec.vrrp())
            .orElse(
                new VrrpSettings(
                    null, null, null, null, null, null, null, null, null, null, null, null));
    int version = or(vrrp.version(), 3);
    int first = vrrp.vridRange() == null ? 1 : or(vrrp.vridRange().first(), 1);
    int last = vrrp.vridRange() == null ? 255 : or(vrrp.vridRange().last(), 255);
    if (first < 1 || last > 255 || first > last) {
      throw new IllegalArgumentException(
          "spec.vrrp.vridRange " + first + "–" + last + " is not a range within 1–255");
    }
    VrrpPriorities priorities =
        vrrp.priorities() == null ? new VrrpPriorities(null, null) : vrrp.priorities();
    List<AddressRange> ranges = new ArrayList<>();
    for (String range : spec.vipRanges() == null ? List.<String>of() : spec.vipRanges()) {
      AddressRange parsed = AddressRange.parse(range);
      if (version == 2 && parsed.family() == IpFamily.IPv6) {
        throw new IllegalArgumentException(
            "spec.vipRanges " + range + " is IPv6, which VRRP version 2 cannot carry");
      }
      ranges.add(parsed);
    }
    return new PoolSettings(
        name,
        Seniority.of(pool.getMetadata()),
        spec.nodeSelector(),
        spec.networkInterface(),
        version,
        or(vrrp.advertInterval(), "1s"),
        or(vrrp.multicastGroup(), "224.0.0.18"),
        or(vrrp.multicastGroup6(), "ff02::12"),
        or(vrrp.unicast(), false),
        first,
        last,
        vrrp.authentication(),
        or(vrrp.preempt(), true),
        or(vrrp.preemptDelay(), "0s"),
        or(priorities.highest(), 100),
        or(priorities.step(), 2),
        or(vrrp.maxVipsPerInstance(), 20),
        vrrp.gratuitousArp(),
        List.copyOf(ranges),
        spec.notification());
  }

  /** Whether {@code address} lies in one of the pool's vipRanges. */
  boolean covers(IpAddress address) {
    return vipRanges.stream().anyMatch(r -> r.contains(address));
  }

  /** The VRRP instance name for a virtual router id: the pool's name (cut to fit) and the id. */
  String instanceName(int vrid) {
    String suffix = "-" + vrid;
    String prefix =
        name.length() + suffix.length() > 63 ? name.substring(0, 63 - suffix.length()) : name;
    return prefix + suffix;
  }

  /**
   * Priority of the node at {@code rank} (0 = preferred master) in an instance's order. Ranks past
   * what the step allows all get 1; VRRP then breaks the tie by primary address (RFC 5798 §6.4.3).
   */
  int priority(int rank) {
    return Math.max(1, highestPriority - rank * priorityStep);
  }

  private static <T> T or(T value, T otherwise) {
    return value == null ? otherwise : value;
  }
}
