package dev.reconcile.render;

import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;
import dev.reconcile.plan.TrafficImpact;
import java.util.stream.Collectors;

/** Phrases the text and Markdown renderings share, so both say the same thing the same way. */
final class PlanWords {
  private PlanWords() {}

  static String summary(Plan plan) {
    var s = plan.summary();
    return s.create() + " to create, " + s.update() + " to update, " + s.replace() + " to replace, "
        + s.delete() + " to delete";
  }

  static String unchanged(Plan plan) {
    return plan.summary().noop() + " unchanged";
  }

  /** How the change treats traffic, for the change's headline; empty when there is nothing to say. */
  static String annotation(Change change) {
    return switch (change.action()) {
      case REPLACE ->
        change
            .strategy()
            .map(s -> s.word() + ", "
                + (change.impact() == TrafficImpact.NONE
                    ? "no downtime"
                    : change.impact().word()))
            .orElse(change.impact().word());
      case DELETE ->
        change.impact() == TrafficImpact.REMOVES_SITE ? change.impact().word() : "";
      case CREATE, UPDATE, NOOP -> "";
    };
  }

  static String traffic(Plan plan) {
    var interruptions = plan.interruptions();
    if (interruptions.isEmpty()) {
      return "served throughout";
    }
    return interruptions.size()
        + (interruptions.size() == 1 ? " change interrupts" : " changes interrupt")
        + " it: "
        + interruptions.stream()
            .map(c -> c.label() + " (" + c.impact().word() + ")")
            .collect(Collectors.joining(", "));
  }

  static String verb(Action action) {
    return switch (action) {
      case CREATE -> "create";
      case UPDATE -> "update";
      case REPLACE -> "replace";
      case DELETE -> "delete";
      case NOOP -> "keep";
    };
  }
}
