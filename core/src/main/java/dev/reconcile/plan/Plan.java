package dev.reconcile.plan;

import java.util.List;

/**
 * What apply would do, in execution order. Pure data: renderers and the executor read the same
 * instance, so no output can disagree with another.
 *
 * @param specDigest digest of the desired state the plan was made from
 * @param observedDigest digest of the observed state; a saved plan is stale when it moved
 * @param changes every change, NOOPs included, in an order that respects {@code dependsOn}
 * @param problems what must be resolved before the plan can be applied
 * @param holds environments kept at a snapshot by a rollback, with what they hold back
 */
public record Plan(
    String specDigest,
    String observedDigest,
    List<Change> changes,
    List<Problem> problems,
    List<HeldEnvironment> holds) {

  public Plan {
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
    holds = List.copyOf(holds);
  }

  public Plan(String specDigest, String observedDigest, List<Change> changes, List<Problem> problems) {
    this(specDigest, observedDigest, changes, problems, List.of());
  }

  /** This plan, noting environments held at a snapshot. */
  public Plan withHolds(List<HeldEnvironment> held) {
    return new Plan(specDigest, observedDigest, changes, problems, held);
  }

  public Summary summary() {
    return Summary.of(changes);
  }

  public boolean hasChanges() {
    return changes.stream().anyMatch(c -> c.action().isChange());
  }

  public List<Change> interruptions() {
    return changes.stream().filter(c -> c.impact().interruptsTraffic()).toList();
  }
}
