package io.kubelvs.agent.convert;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.convert.VrrpInstances.Instance;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorPoolSpec;
import io.kubelvs.api.v1alpha1.EmailNotification;
import io.kubelvs.api.v1alpha1.GratuitousArp;
import io.kubelvs.api.v1alpha1.InterfaceSelector;
import io.kubelvs.api.v1alpha1.Notification;
import io.kubelvs.api.v1alpha1.SecretKeySelector;
import io.kubelvs.api.v1alpha1.VridRange;
import io.kubelvs.api.v1alpha1.VrrpAuthentication;
import io.kubelvs.api.v1alpha1.VrrpPriorities;
import io.kubelvs.api.v1alpha1.VrrpSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * global_defs and the vrrp_instance blocks as one DirectorPool (and the Secret of its auth_pass). A
 * pool's VRRP settings are shared by all its instances, so the first instance's settings are the
 * pool's and every other instance that differs gets a note; {@code state} and per-instance {@code
 * priority} become the pool's priorities, since the operator elects masters itself.
 */
final class DirectorPools {
  /** The label the samples select director nodes by. */
  static final String POOL_LABEL = "kubelvs.io/pool";

  /** Where kubelvs runs, and reads a pool's auth Secret from (samples/seed). */
  static final String KUBELVS_NAMESPACE = "kubelvs-system";

  static final String PASSWORD_KEY = "password";

  /** A pool without any vrrp_instance still needs an interface; this one is to be edited. */
  private static final String PLACEHOLDER_INTERFACE = "eth0";

  /** RFC 5798 §5.2.4: 255 is the address owner's, which the API leaves out. */
  private static final int HIGHEST_PRIORITY = 254;

  private static final int MAX_STEP = 100;
  private static final int MAX_GARP_REPEAT = 255;

  /** The pool, the Secret holding its auth_pass if any, and how priorities were read. */
  record Result(DirectorPool pool, Optional<Secret> secret, int highestPriority) {}

  private final String name;
  private final ConfNode root;
  private final List<ConversionNote> notes;

  private DirectorPools(String name, ConfNode root, List<ConversionNote> notes) {
    this.name = name;
    this.root = root;
    this.notes = notes;
  }

  /**
   * @param root the file's root, where notes go that belong to no keyword
   * @param notes where notes on the pool are added
   */
  static Result convert(
      String name,
      GlobalDefs global,
      List<Instance> instances,
      Set<String> smtpAlert,
      ConfNode root,
      List<ConversionNote> notes) {
    return new DirectorPools(name, root, notes).convert(global, instances, smtpAlert);
  }

  private Result convert(GlobalDefs global, List<Instance> instances, Set<String> smtpAlert) {
    DirectorPool pool = new DirectorPool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
    String interfaceName = PLACEHOLDER_INTERFACE;
    VrrpSettings vrrp = null;
    Optional<Secret> secret = Optional.empty();
    int highest = 0;
    if (instances.isEmpty()) {
      notes.add(
          new ConversionNote(
              root.position(),
              "vrrp_instance",
              "none in the file: the pool's interface "
                  + PLACEHOLDER_INTERFACE
                  + " is a placeholder, set it"));
    } else {
      Instance first = instances.get(0);
      interfaceName = first.runner().interfaceName();
      instances.forEach(i -> sameAsFirst(first, i));
      List<Integer> priorities = priorities(instances);
      highest = priorities.get(0);
      Optional<String> password = password(first, instances);
      secret = password.map(this::secret);
      vrrp = settings(first, instances, priorities, password.isPresent());
    }
    pool.setSpec(
        new DirectorPoolSpec(
            new LabelSelectorBuilder().addToMatchLabels(POOL_LABEL, name).build(),
            new InterfaceSelector(interfaceName, null),
            vrrp,
            null,
            notification(global, instances, smtpAlert)));
    return new Result(pool, secret, highest);
  }

  private VrrpSettings settings(
      Instance first, List<Instance> instances, List<Integer> priorities, boolean authenticated) {
    VrrpInstanceConfig config = first.config();
    int firstVrid = instances.stream().mapToInt(i -> i.config().vrid()).min().orElseThrow();
    int lastVrid = instances.stream().mapToInt(i -> i.config().vrid()).max().orElseThrow();
    if (instances.size() > 1) {
      for (Instance instance : instances) {
        notes.add(
            ConversionNote.at(
                instance.at("virtual_router_id"),
                instance.config().vrid()
                    + " of vrrp_instance "
                    + instance.name()
                    + ": the operator allocates virtual router ids from "
                    + firstVrid
                    + "-"
                    + lastVrid
                    + " to the VirtualServices itself"));
      }
    }
    boolean unicast = instances.stream().anyMatch(i -> i.config().unicast());
    for (Instance instance : instances) {
      if (instance.config().unicast()) {
        notes.add(
            ConversionNote.at(
                instance.at("unicast_peer"),
                instance.config().unicastPeers().stream().map(a -> a.getHostAddress()).toList()
                    + ": the operator sends adverts to the InternalIPs of the pool's nodes"));
      }
    }
    return new VrrpSettings(
        config.version(),
        GoDurations.format(config.advertInterval()),
        group(instances, StandardProtocolFamily.INET, VrrpRunnerConfig.IPV4_GROUP),
        group(instances, StandardProtocolFamily.INET6, VrrpRunnerConfig.IPV6_GROUP),
        unicast ? Boolean.TRUE : null,
        new VridRange(firstVrid, lastVrid),
        authenticated
            ? new VrrpAuthentication(new SecretKeySelector(secretName(), PASSWORD_KEY))
            : null,
        config.preempt() ? null : Boolean.FALSE,
        config.preemptDelay().isZero() ? null : GoDurations.format(config.preemptDelay()),
        new VrrpPriorities(
            priorities.get(0),
            priorities.size() > 1
                ? Math.min(MAX_STEP, priorities.get(0) - priorities.get(1))
                : null),
        null,
        gratuitousArp(first));
  }

  /** The pool's multicast group of a family, if one of its instances has a non-default one. */
  private static String group(
      List<Instance> instances, StandardProtocolFamily family, InetAddress rfcGroup) {
    return instances.stream()
        .map(Instance::runner)
        .filter(r -> r.family() == family && !r.group().equals(rfcGroup))
        .map(r -> r.group().getHostAddress())
        .findFirst()
        .orElse(null);
  }

  /** The distinct priorities, highest first, within what the API takes. */
  private List<Integer> priorities(List<Instance> instances) {
    for (Instance instance : instances) {
      instance.node().children("state").stream()
          .findFirst()
          .ifPresent(
              state ->
                  notes.add(
                      ConversionNote.at(
                          state,
                          String.join(" ", state.args())
                              + " (vrrp_instance "
                              + instance.name()
                              + ") has no field: the operator elects by priority, giving each"
                              + " VIP's preferred node priorities.highest and the others step"
                              + " less each")));
      if (instance.config().priority() > HIGHEST_PRIORITY) {
        notes.add(
            ConversionNote.at(
                instance.at("priority"),
                instance.config().priority()
                    + " (address owner) has no field: the pool's highest priority is "
                    + HIGHEST_PRIORITY));
      }
    }
    return instances.stream()
        .map(i -> Math.min(HIGHEST_PRIORITY, Math.max(2, i.config().priority())))
        .distinct()
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  private Optional<String> password(Instance first, List<Instance> instances) {
    Optional<Instance> withPassword =
        instances.stream().filter(i -> i.runner().password().isPresent()).findFirst();
    if (withPassword.isEmpty()) {
      return Optional.empty();
    }
    if (first.config().version() != 2) {
      notes.add(
          ConversionNote.at(
              withPassword.get().at("authentication"),
              "authentication exists in VRRPv2 only, and this pool speaks VRRPv3: not"
                  + " converted"));
      return Optional.empty();
    }
    return withPassword.get().runner().password();
  }

  private Secret secret(String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName())
        .withNamespace(KUBELVS_NAMESPACE)
        .endMetadata()
        .withType("Opaque")
        .addToStringData(PASSWORD_KEY, password)
        .build();
  }

  private String secretName() {
    return name + "-vrrp-auth";
  }

  private GratuitousArp gratuitousArp(Instance first) {
    VrrpInstanceConfig.Garp garp = first.config().garp();
    if (garp.equals(VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS)) {
      return null;
    }
    if (garp.masterRepeat() > MAX_GARP_REPEAT || garp.masterRefreshRepeat() > MAX_GARP_REPEAT) {
      notes.add(
          ConversionNote.at(
              first.node(),
              "gratuitous ARP repeats above " + MAX_GARP_REPEAT + " have no field: sent 255"));
    }
    return new GratuitousArp(
        Math.min(MAX_GARP_REPEAT, garp.masterRepeat()),
        GoDurations.format(garp.masterDelay()),
        garp.masterRefresh().isZero() ? null : GoDurations.format(garp.masterRefresh()),
        Math.min(MAX_GARP_REPEAT, garp.masterRefreshRepeat()),
        null);
  }

  /** Notes on every setting of {@code other} the pool cannot take because the first differs. */
  private void sameAsFirst(Instance first, Instance other) {
    differs(first, other, "interface", i -> i.runner().interfaceName());
    differs(first, other, "version", i -> i.config().version());
    differs(first, other, "advert_int", i -> i.config().advertInterval());
    differs(first, other, "nopreempt", i -> i.config().preempt());
    differs(first, other, "preempt_delay", i -> i.config().preemptDelay());
    differs(first, other, "authentication", i -> i.runner().password());
    differs(first, other, "garp_master_repeat", i -> i.config().garp());
  }

  private void differs(
      Instance first, Instance other, String keyword, Function<Instance, Object> setting) {
    if (!Objects.equals(setting.apply(first), setting.apply(other))) {
      ConfNode at = other.at(keyword);
      notes.add(
          new ConversionNote(
              at.position(),
              keyword,
              "vrrp_instance "
                  + other.name()
                  + " differs from "
                  + first.name()
                  + " at "
                  + first.node().position()
                  + ": a pool has one setting for all its instances, "
                  + first.name()
                  + "'s"));
    }
  }

  private Notification notification(
      GlobalDefs global, List<Instance> instances, Set<String> smtpAlert) {
    Optional<ConfNode> emails =
        root.children("global_defs").stream()
            .flatMap(g -> g.children("notification_email").stream())
            .findFirst();
    if (global.notificationEmails().isEmpty() || emails.isEmpty()) {
      return null;
    }
    if (global.smtpServer().isEmpty()) {
      notes.add(
          ConversionNote.at(
              emails.get(), "without smtp_server keepalived sends no mail: not converted"));
      return null;
    }
    List<String> to = new ArrayList<>(global.notificationEmails());
    for (Instance instance : instances) {
      if (!smtpAlert.contains(instance.name())) {
        notes.add(
            ConversionNote.at(
                instance.node(),
                instance.name()
                    + " has no smtp_alert, but the pool mails state changes of all its"
                    + " instances"));
      }
    }
    InetSocketAddress smtp = global.smtpServer().get();
    return new Notification(
        new EmailNotification(
            to,
            global.notificationFrom(),
            smtp.getAddress().getHostAddress(),
            smtp.getPort() == GlobalDefs.SMTP_PORT ? null : smtp.getPort(),
            GoDurations.format(global.smtpConnectTimeout())));
  }
}
