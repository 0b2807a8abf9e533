package io.kubelvs.agent.notify;

import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.Notifications;
import io.kubelvs.agent.config.NotifyScript;
import io.kubelvs.agent.ipvs.Endpoints;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the VRRP core's {@link StateChange}s and the health checker's {@link HealthEvent}s into
 * what keepalived makes of them: one structured log line per event, the notify scripts with
 * keepalived's arguments, and mail. Called on the cores' threads, it only logs and hands work to
 * {@link NotifyScripts} and {@link MailSender}, which never block the caller.
 *
 * <ul>
 *   <li>VRRP (vrrp_notify.c {@code send_instance_notifies}): the state's script (notify_master,
 *       notify_backup, notify_fault, notify_stop) without arguments, then the generic notify with
 *       {@code INSTANCE name MASTER|BACKUP|FAULT|STOP priority}; mail when the instance has
 *       smtp_alert, for every state but INIT, FAULT only without no_email_faults, and never twice
 *       for the same state in a row (keepalived's last_email_state). Stop scripts get keepalived's
 *       1 s.
 *   <li>Real servers (ipwrapper.c {@code do_rs_notifies}): notify_up or notify_down without
 *       arguments; mail when the real server's smtp_alert resolves on.
 *   <li>Quorum (ipwrapper.c {@code update_quorum_state}): quorum_up or quorum_down without
 *       arguments; mail when the virtual server has smtp_alert.
 * </ul>
 *
 * <p>{@link #apply(NodeConfig)} takes a new configuration (SIGHUP): recipients, relay and scripts
 * change for the next event. Events about something the new configuration no longer has (an
 * instance or a real server being removed) are handled with the previous one.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  /** How long stopping waits for queued mail. */
  public static final Duration MAIL_FLUSH = Duration.ofSeconds(5);

  /** How long stopping waits for running scripts (notify_stop has 1 s of its own). */
  public static final Duration SCRIPT_FLUSH = Duration.ofSeconds(2);

  private final MailSender mail;
  private final NotifyScripts scripts;
  private final InstantSource clock;
  private final ZoneId zone;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, VrrpRole> lastMailed = new ConcurrentHashMap<>();
  private volatile NotifyPlan current;
  private volatile NotifyPlan previous;

  public Notifier(MailSender mail, NotifyScripts scripts, InstantSource clock, ZoneId zone) {
    this.mail = Objects.requireNonNull(mail, "mail");
    this.scripts = Objects.requireNonNull(scripts, "scripts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** A notifier with its own mail thread and script runners, on the system clock and zone. */
  public static Notifier start() {
    return new Notifier(
        new MailSender(), new NotifyScripts(), InstantSource.system(), ZoneId.systemDefault());
  }

  /** Uses {@code config} for every event from now on; the one before stays as a fallback. */
  public synchronized void apply(NodeConfig config) {
    previous = current;
    current = NotifyPlan.of(config);
  }

  /** Goes back to the configuration before the last {@link #apply}, which was refused. */
  public synchronized void revert() {
    current = previous;
  }

  /** A VRRP instance's state change, on its runner's thread. */
  public void onStateChange(StateChange change) {
    String name = change.instance();
    if (change.resumed()) {
      LOG.info(
          "event=vrrp_resumed instance={} state={} reason=\"{}\"",
          name,
          change.to(),
          change.reason());
      return;
    }
    NotifyPlan plan = planWith(p -> p.hasInstance(name));
    Optional<String> state = KeepalivedMail.state(change.to());
    Notifications.InstanceScripts own =
        plan == null ? Notifications.InstanceScripts.NONE : plan.notifications().instance(name);
    Optional<NotifyScript> stateScript = state.flatMap(s -> stateScript(own, change.to()));
    boolean mailIt = state.isPresent() && plan != null && mailsVrrp(plan, name, change.to());
    int priority = plan == null ? 0 : plan.priority(name);
    LOG.info(
        "event=vrrp_transition instance={} from={} to={} priority={} reason=\"{}\" mail={}"
            + " scripts={}",
        name,
        change.from(),
        change.to(),
        priority,
        change.reason(),
        mailIt,
        (stateScript.isPresent() ? 1 : 0)
            + (own.generic().isPresent() && state.isPresent() ? 1 : 0));
    if (state.isEmpty()) {
      return;
    }
    Duration timeout =
        change.to() == VrrpRole.STOPPED
            ? NotifyScripts.STOP_TIMEOUT
            : NotifyScripts.DEFAULT_TIMEOUT;
    String event = "vrrp_transition " + name + " " + state.get();
    stateScript.ifPresent(script -> scripts.run(event, script, List.of(), timeout));
    own.generic()
        .ifPresent(
            script ->
                scripts.run(
                    event,
                    script,
                    List.of("INSTANCE", name, state.get(), Integer.toString(priority)),
                    timeout));
    if (mailIt) {
      send(plan, KeepalivedMail.vrrp(plan.global().routerId(), name, change.to()));
    }
  }

  /** A real server's or a quorum's change, on the health checker's thread. */
  public void onHealthEvent(HealthEvent event) {
    if (event instanceof HealthEvent.RealServerUp up) {
      realServer(up.virtualServer(), up.realServer(), true, up.reason());
    } else if (event instanceof HealthEvent.RealServerDown down) {
      realServer(down.virtualServer(), down.realServer(), false, down.reason());
    } else if (event instanceof HealthEvent.QuorumLost lost) {
      quorum(lost.virtualServer(), false, lost.healthyWeight(), lost.quorum(), lost.hysteresis());
    } else if (event instanceof HealthEvent.QuorumRegained gained) {
      quorum(
          gained.virtualServer(),
          true,
          gained.healthyWeight(),
          gained.quorum(),
          gained.hysteresis());
    }
  }

  private void realServer(String vsId, InetSocketAddress rs, boolean up, String reason) {
    NotifyPlan plan = planWith(p -> p.virtualServer(vsId).isPresent());
    Notifications.RealServerAlerts alerts =
        plan == null
            ? new Notifications.RealServerAlerts(false, Optional.empty(), Optional.empty())
            : plan.alerts(vsId, rs);
    boolean mailIt = alerts.smtpAlert() && plan.relay().isPresent();
    Optional<NotifyScript> script = up ? alerts.up() : alerts.down();
    String name = up ? "realserver_up" : "realserver_down";
    String rsText = Endpoints.format(rs.getAddress(), rs.getPort());
    LOG.info(
        "event={} vs={} rs={} reason=\"{}\" mail={} scripts={}",
        name,
        vsId,
        rsText,
        reason,
        mailIt,
        script.isPresent() ? 1 : 0);
    boolean stopping = reason.equals(HealthEvent.SHUTTING_DOWN);
    script.ifPresent(
        s ->
            scripts.run(
                name + " " + vsId + " " + rsText,
                s,
                List.of(),
                stopping ? NotifyScripts.STOP_TIMEOUT : NotifyScripts.DEFAULT_TIMEOUT));
    if (mailIt) {
      Optional<String> body =
          reason.equals(HealthEvent.REMOVED)
              ? Optional.of("=> Removing <=")
              : stopping ? Optional.of("=> Shutting down <=") : Optional.empty();
      send(
          plan,
          KeepalivedMail.realServer(
              plan.global().routerId(),
              plan.virtualServer(vsId).orElseThrow().service().key(),
              rs,
              up,
              plan.checker(vsId, rs),
              body,
              reason));
    }
  }

  private void quorum(String vsId, boolean up, long weight, int quorum, int hysteresis) {
    NotifyPlan plan = planWith(p -> p.virtualServer(vsId).isPresent());
    boolean mailIt = plan != null && plan.mailsQuorum(vsId) && plan.relay().isPresent();
    Optional<NotifyScript> script = plan == null ? Optional.empty() : plan.quorumScript(vsId, up);
    String name = up ? "quorum_regained" : "quorum_lost";
    LOG.info(
        "event={} vs={} healthy_weight={} quorum={} hysteresis={} mail={} scripts={}",
        name,
        vsId,
        weight,
        quorum,
        hysteresis,
        mailIt,
        script.isPresent() ? 1 : 0);
    script.ifPresent(
        s -> scripts.run(name + " " + vsId, s, List.of(), NotifyScripts.DEFAULT_TIMEOUT));
    if (mailIt) {
      send(
          plan,
          KeepalivedMail.quorum(
              plan.global().routerId(),
              plan.virtualServer(vsId).orElseThrow().service().key(),
              up,
              quorum,
              hysteresis,
              weight));
    }
  }

  private boolean mailsVrrp(NotifyPlan plan, String instance, VrrpRole to) {
    if (!plan.mailedInstances().contains(instance) || plan.relay().isEmpty()) {
      return false;
    }
    if (to == VrrpRole.FAULT && !plan.notifications().mailFaults()) {
      return false;
    }
    return lastMailed.put(instance, to) != to;
  }

  private static Optional<NotifyScript> stateScript(
      Notifications.InstanceScripts scripts, VrrpRole to) {
    return switch (to) {
      case MASTER -> scripts.master();
      case BACKUP -> scripts.backup();
      case FAULT -> scripts.fault();
      case STOPPED -> scripts.stop();
      case INIT -> Optional.empty();
    };
  }

  private void send(NotifyPlan plan, KeepalivedMail.Text text) {
    Instant now = clock.instant();
    String messageId =
        "<"
            + now.toEpochMilli()
            + "."
            + sequence.incrementAndGet()
            + ".kubelvs@"
            + plan.notifications().smtpHeloName()
            + ">";
    mail.submit(
        plan.relay().orElseThrow(),
        new MailMessage(
            plan.global().notificationFrom(),
            plan.global().notificationEmails(),
            text.subject(),
            text.body(),
            now.atZone(zone),
            messageId));
  }

  /** The newest configuration that knows the object, or the newest one if none does. */
  private NotifyPlan planWith(Predicate<NotifyPlan> knows) {
    NotifyPlan now = current;
    NotifyPlan before = previous;
    if (now != null && knows.test(now)) {
      return now;
    }
    if (before != null && knows.test(before)) {
      return before;
    }
    return now;
  }

  /** Sends queued mail and lets running scripts end, each for a short while, then stops. */
  @Override
  public void close() {
    scripts.close(SCRIPT_FLUSH);
    mail.close(MAIL_FLUSH);
  }
}
