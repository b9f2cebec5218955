package dev.reconcile.plan;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.observed.ObservedAdoption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What taking over an environment from before reconcile does: which of its containers stop, and
 * when. One that writes a volume taken over stops just before the volume's new containers start
 * (they restart on its data: a brief outage of what they serve); the others once the front door
 * serves reconcile's containers. All are kept.
 */
final class AdoptionDiff {
  private AdoptionDiff() {}

  private static Duration longest(List<String> containers, Map<String, Duration> windows) {
    return containers.stream()
        .map(c -> windows.getOrDefault(c, HealthCheck.DEFAULT.window()))
        .max(Duration::compareTo)
        .orElse(HealthCheck.DEFAULT.window());
  }

  /**
   * @param windows how long each container of the environment may take to pass its health check
   *     (by name): the longest a taken-over writer's data is unserved
   */
  static Change of(
      DesiredAdoption desired, Optional<ObservedAdoption> found, Map<String, Duration> windows) {
    var running = found.map(ObservedAdoption::running).orElse(List.of());
    var reasons = new ArrayList<Reason>();
    var outage = false;
    for (var legacy : running) {
      var writes =
          legacy.volumes().stream().filter(desired.writers()::containsKey).findFirst();
      if (writes.isPresent()) {
        outage = true;
        var starting = desired.writers().getOrDefault(writes.get(), List.of());
        var one = starting.size() == 1;
        reasons.add(Reason.of(
            "adopt",
            "stops " + legacy.name() + " (kept) before the volume made on " + writes.get()
                + " is made"
                + (starting.isEmpty()
                    ? ""
                    : "; " + String.join(", ", starting) + " then start" + (one ? "s" : "")
                        + " on it: what " + (one ? "it serves" : "they serve")
                        + " is down until " + (one ? "it passes its" : "they pass their")
                        + " health check (at most " + longest(starting, windows).toSeconds() + " s"
                        + ")")));
      } else {
        reasons.add(Reason.of(
            "adopt",
            "stops " + legacy.name()
                + " (kept) once the front door serves reconcile's containers"));
      }
    }
    desired
        .site()
        .ifPresent(site -> reasons.add(Reason.of(
            "adopt",
            "takes over the site file " + site + " at the switch, if it is there: moved aside with"
                + " a copy kept, judged with reconcile's site by nginx -t")));
    var action = running.isEmpty() ? Action.NOOP : Action.UPDATE;
    if (action == Action.UPDATE) {
      reasons.add(Reason.of(
          "adopt",
          "'reconcile adopt --undo " + desired.id().project() + " --env "
              + desired.id().environment() + "' starts " + desired.describe() + " again"));
    }
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        Optional.empty(), // nothing of ours is recorded on what is taken over
        Optional.of(desired.specHash()),
        Optional.empty(),
        action == Action.NOOP ? List.of() : reasons,
        outage ? TrafficImpact.BRIEF_OUTAGE : TrafficImpact.NONE,
        List.of());
  }
}
