package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.LinkEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking side of a {@link VrrpRunner}: runs its instances' tracked scripts and polls their
 * tracked files on threads of their own, and turns their results, and the link events of tracked
 * interfaces, into {@link VrrpStateMachine#onTracking} events on the loop. Results reach the loop
 * through its command queue; everything else here runs on the loop's thread.
 */
final class VrrpRunnerTracking implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunnerTracking.class);

  private final String interfaceName;
  private final Collection<VrrpRunnerInstance> instances;
  private final VrrpRunnerDispatch actions;
  private final TrackedScriptRunner scripts;
  private final TrackedFilePoller files;

  /**
   * @param command runs a task on the loop's thread
   */
  VrrpRunnerTracking(
      VrrpRunnerConfig config,
      Collection<VrrpRunnerInstance> instances,
      VrrpRunnerDispatch actions,
      Consumer<Runnable> command) {
    this.interfaceName = config.interfaceName();
    this.instances = List.copyOf(instances);
    this.actions = actions;
    Map<String, TrackedScript> distinct = new LinkedHashMap<>();
    List<TrackedFile> tracked = new ArrayList<>();
    for (VrrpInstanceConfig instance : config.instances()) {
      instance.trackScripts().forEach(t -> distinct.putIfAbsent(t.name(), t));
      tracked.addAll(instance.trackFiles());
    }
    this.scripts =
        new TrackedScriptRunner(
            interfaceName,
            distinct.values(),
            (name, result) -> command.accept(() -> scriptResult(name, result)));
    this.files =
        new TrackedFilePoller(
            interfaceName, tracked, (name, value) -> command.accept(() -> fileValue(name, value)));
  }

  /**
   * On the loop, before the instances start: the tracked interfaces' and files' states now, so an
   * instance starts with the priority and fault they give it.
   */
  void initialise(Map<String, Boolean> trackedLinksUp) {
    files.initialise();
    Map<String, Integer> fileValues = files.readAll();
    for (VrrpRunnerInstance instance : instances) {
      trackedLinksUp.forEach((name, up) -> instance.tracking().recordLink(name, up));
      fileValues.forEach((name, value) -> instance.tracking().recordFile(name, value));
    }
  }

  /** Starts the scripts and the file polling, in the calling thread's network namespace. */
  void start() {
    scripts.start();
    files.start();
  }

  @Override
  public void close() {
    scripts.close();
    files.close();
  }

  /** On the loop: a change of an interface some instance may track (track_interface). */
  void linkEvent(LinkEvent event) {
    boolean up = event.type() == LinkEvent.Type.UP;
    for (VrrpRunnerInstance instance : instances) {
      if (instance.tracking().recordLink(event.name(), up)) {
        log.info(
            "vrrp tracked interface changed interface={} instance={} tracked={} state={}",
            interfaceName,
            instance.name(),
            event.name(),
            event.type());
        follow(instance);
      }
    }
  }

  /** A tracked file's new value, on the loop. */
  private void fileValue(String file, int value) {
    for (VrrpRunnerInstance instance : instances) {
      if (instance.tracking().recordFile(file, value)) {
        log.info(
            "vrrp tracked file changed interface={} instance={} file={} value={}",
            interfaceName,
            instance.name(),
            file,
            value);
        follow(instance);
      }
    }
  }

  /** A tracked script's result, on the loop: the instances tracking it follow its status. */
  private void scriptResult(String script, TrackedCondition.Result result) {
    for (VrrpRunnerInstance instance : instances) {
      if (instance.tracking().record(script, result)) {
        log.info(
            "vrrp tracked script changed interface={} instance={} script={} status={} result={}",
            interfaceName,
            instance.name(),
            script,
            instance.tracking().status(script),
            result);
        follow(instance);
      }
    }
  }

  private void follow(VrrpRunnerInstance instance) {
    actions.feed(instance, m -> m.onTracking(instance.tracking().verdict()));
  }
}
