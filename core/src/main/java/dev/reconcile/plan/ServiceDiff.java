package dev.reconcile.plan;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.observed.ObservedService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The change for one declared swarm service: create it, update it when its recorded spec differs
 * or its replicas were changed outside the tool (a {@code docker service scale}), follow it when
 * the engine is still rolling out the declared spec (an apply was killed), else nothing. An update
 * is the engine's own start-first rolling update: traffic is served throughout.
 */
final class ServiceDiff {
  private ServiceDiff() {}

  static Change of(DesiredService desired, Optional<ObservedService> found) {
    var spec = desired.container().spec();
    if (found.isEmpty()) {
      var reasons = new ArrayList<Reason>();
      reasons.add(Reason.of("image", "image " + spec.image()));
      reasons.add(Reason.of("replicas", "replicas " + desired.replicas()));
      return change(desired, Action.CREATE, found, reasons);
    }
    var service = found.get();
    var reasons = new ArrayList<Reason>();
    if (!service.specHash().equals(desired.specHash())) {
      service
          .recorded()
          .ifPresent(r -> reasons.addAll(FingerprintReasons.container(
              r, desired.container().fingerprint(), desired.container().unresolvedEnv())));
      if (service.recordedReplicas() != desired.replicas()) {
        reasons.add(Reason.changed(
            "replicas",
            Integer.toString(service.recordedReplicas()),
            Integer.toString(desired.replicas())));
      }
      if (reasons.isEmpty()) {
        reasons.add(Reason.changed("spec-hash", service.specHash(), desired.specHash()));
      }
    } else if (service.replicas() != desired.replicas()) {
      reasons.add(Reason.of(
          "replicas",
          "replicas " + service.replicas() + " (scaled outside reconcile), declared "
              + desired.replicas()));
    } else if (service.updateState().filter(ServiceDiff::underWay).isPresent()) {
      // An apply ended (killed) while the engine rolled this spec out: nginx still routes to the
      // tasks of that moment, which the engine goes on replacing. The apply follows it to its end.
      reasons.add(Reason.of(
          "update",
          "the engine is still rolling this spec out (an earlier apply ended before it did): "
              + "followed to its end, nginx moving with the tasks"));
    }
    service
        .updateState()
        .filter(s -> s.startsWith("rollback") || s.equals("paused"))
        .filter(s -> !reasons.isEmpty())
        .ifPresent(s -> reasons.add(
            Reason.of("update", "the engine's last update ended " + s.replace('_', ' '))));
    return change(desired, reasons.isEmpty() ? Action.NOOP : Action.UPDATE, found, reasons);
  }

  /** The engine's update or its own rollback is under way. */
  private static boolean underWay(String state) {
    return state.equals("updating") || state.equals("rollback_started");
  }

  private static Change change(
      DesiredService desired,
      Action action,
      Optional<ObservedService> found,
      List<Reason> reasons) {
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        found.map(ObservedService::specHash),
        Optional.of(desired.specHash()),
        Optional.empty(),
        reasons,
        TrafficImpact.NONE,
        desired.dependsOn());
  }
}
