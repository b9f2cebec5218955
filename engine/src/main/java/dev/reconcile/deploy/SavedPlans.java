package dev.reconcile.deploy;

import dev.reconcile.engine.Reconciliation;
import dev.reconcile.plan.Plan;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether a plan saved by {@code plan --out} may still be applied: only while the world is as it
 * was when it was made, as Terraform refuses a stale plan. One rule for every caller (the CLI
 * today; a controller or CI tooling that applies reviewed plans tomorrow).
 */
public final class SavedPlans {
  private SavedPlans() {}

  /**
   * Why {@code saved} is stale against a fresh plan of the same selection; empty when it may be
   * applied.
   *
   * @param shown how the saved plan is named in the reason (its file)
   * @throws IOException when the history cannot be read
   */
  public static Optional<String> staleness(
      Reconciliation.Outcome.Planned planned, Plan saved, String shown) throws IOException {
    var fresh = planned.plan();
    var current = Reconciliation.lineages(
        saved, planned.layout().snapshots(planned.spec().platform().history()));
    for (var e : saved.lineages().entrySet()) {
      var now = current.get(e.getKey());
      if (now != null && !now.equals(e.getValue())) {
        return Optional.of(
            "an apply ran in " + e.getKey() + " since " + shown + " was made (snapshot #"
                + e.getValue().serial() + " then, #" + now.serial() + " now"
                + (now.lineage().equals(e.getValue().lineage())
                    ? ""
                    : ", and its history was started over")
                + ")");
      }
    }
    if (!saved.specDigest().equals(fresh.specDigest())) {
      return Optional.of("projects.yml (or a value it reads from the environment) changed since "
          + shown + " was made");
    }
    if (!saved.observedDigest().equals(fresh.observedDigest())) {
      return Optional.of(
          "the hosts changed since " + shown + " was made (another apply, or a change by hand)");
    }
    if (!saved.sameChangesAs(fresh)) {
      // Same inputs give the same plan; a difference means the file was edited or made by another
      // version: never run changes nobody reviewed.
      return Optional.of(
          "the changes in " + shown + " are not the ones the same inputs give now (was the file "
              + "edited, or made by another version of reconcile?)");
    }
    return Optional.empty();
  }
}
