package dev.reconcile.plan;

import dev.reconcile.desired.Selection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What apply would do, in execution order. Pure data: renderers and the executor read the same
 * instance, so no output can disagree with another.
 *
 * @param specDigest digest of the desired state the plan was made from
 * @param observedDigest digest of the observed state; a saved plan is stale when it moved
 * @param changes every change, NOOPs included, in an order that respects {@code dependsOn}
 * @param problems what must be resolved before the plan can be applied
 * @param holds environments kept at a snapshot by a rollback, with what they hold back
 * @param lineages environment -> its history's lineage and serial when the plan was made
 * @param selection the projects and environments it was made for ({@code --project}, {@code --env})
 * @param options the choices it was made with ({@code --delete-volumes}): a saved plan is applied
 *     with the same ones, never with the defaults
 */
public record Plan(
    String specDigest,
    String observedDigest,
    List<Change> changes,
    List<Problem> problems,
    List<HeldEnvironment> holds,
    Map<String, Lineage> lineages,
    Selection selection,
    DiffOptions options) {

  /**
   * Where an environment's history stood when the plan was made: a saved plan is stale once
   * another apply wrote a snapshot there (Terraform's lineage and serial).
   */
  public record Lineage(String lineage, int serial) {}

  public Plan {
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
    holds = List.copyOf(holds);
    lineages = Collections.unmodifiableMap(new TreeMap<>(lineages));
  }

  public Plan(
      String specDigest, String observedDigest, List<Change> changes, List<Problem> problems) {
    this(
        specDigest,
        observedDigest,
        changes,
        problems,
        List.of(),
        Map.of(),
        Selection.ALL,
        DiffOptions.DEFAULT);
  }

  /** The plan without the changes of these environments ({@code project/environment}). */
  public Plan without(Set<String> environments) {
    return new Plan(
        specDigest,
        observedDigest,
        changes.stream()
            .filter(c -> !environments.contains(c.id().environmentKey()))
            .toList(),
        problems,
        holds,
        lineages,
        selection,
        options);
  }

  /** This plan, noting environments held at a snapshot. */
  public Plan withHolds(List<HeldEnvironment> held) {
    return new Plan(
        specDigest, observedDigest, changes, problems, held, lineages, selection, options);
  }

  /** This plan, noting where the history of each environment with a change stood. */
  public Plan withLineages(Map<String, Lineage> now) {
    return new Plan(specDigest, observedDigest, changes, problems, holds, now, selection, options);
  }

  /** This plan, noting what it was made for and with. */
  public Plan madeWith(Selection made, DiffOptions with) {
    return new Plan(specDigest, observedDigest, changes, problems, holds, lineages, made, with);
  }

  /**
   * This plan's changes carrying their resources from a plan of the same digests (a saved plan
   * read back, where they are not written, and a fresh plan it was checked against).
   */
  public Plan carryingFrom(Plan fresh) {
    var byLabel = new HashMap<String, Change>();
    fresh.changes.forEach(c -> byLabel.put(c.label(), c));
    return new Plan(
        specDigest,
        observedDigest,
        changes.stream()
            .map(c -> Optional.ofNullable(byLabel.get(c.label()))
                .map(f -> c.carrying(f.declared(), f.found()))
                .orElse(c))
            .toList(),
        problems,
        holds,
        lineages,
        selection,
        options);
  }

  /** The same changes, in the same order, with the same actions: what a saved plan promised. */
  public boolean sameChangesAs(Plan other) {
    return changes.stream()
        .map(c -> c.id() + " " + c.action() + " " + c.slot().orElse(""))
        .toList()
        .equals(other.changes.stream()
            .map(c -> c.id() + " " + c.action() + " " + c.slot().orElse(""))
            .toList());
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
