package dev.reconcile.render;

import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;

/** The plan for people at a terminal, in the manner of a careful Terraform plan. */
public final class TextPlanRenderer implements PlanRenderer {
  private static final String RESET = "\u001b[0m";
  private final boolean color;

  public TextPlanRenderer(boolean color) {
    this.color = color;
  }

  /** The plan in one line, for a plan already shown (a reviewed plan being applied). */
  public String summaryLine(Plan plan) {
    return "Plan: " + PlanWords.summary(plan) + "; " + PlanWords.unchanged(plan) + ". Traffic: "
        + PlanWords.traffic(plan) + ".";
  }

  @Override
  public String render(Plan plan) {
    var out = new StringBuilder();
    if (!plan.hasChanges()) {
      out.append("No changes: everything matches ")
          .append(
              plan.holds().isEmpty()
                  ? "projects.yml"
                  : "projects.yml, or the snapshot it is held at")
          .append(" (")
          .append(plan.summary().noop())
          .append(" resources checked).\n\n");
    } else {
      plan.changes().stream().filter(c -> c.action().isChange()).forEach(c -> change(out, c));
      out.append('\n');
    }
    problems(out, plan);
    holds(out, plan);
    notes(out, plan);
    if (plan.hasChanges()) {
      out.append(bold("Plan: " + PlanWords.summary(plan) + "; " + PlanWords.unchanged(plan) + "."))
          .append('\n')
          .append("Traffic: ")
          .append(PlanWords.traffic(plan))
          .append(".\n");
    }
    return out.toString().stripTrailing() + "\n";
  }

  private void change(StringBuilder out, Change change) {
    var symbol = change.action().symbol();
    out.append(paint(colorOf(change.action()), pad(symbol))).append(' ').append(change.label());
    var annotation = PlanWords.annotation(change);
    if (!annotation.isEmpty()) {
      out.append("  (").append(annotation).append(')');
    }
    out.append('\n');
    change.reasons().forEach(r -> out.append("        ").append(r.text()).append('\n'));
  }

  private void problems(StringBuilder out, Plan plan) {
    if (plan.problems().isEmpty()) {
      return;
    }
    out.append(paint("31", "Problems"))
        .append(" (apply refuses this plan until they are fixed):\n");
    plan.problems()
        .forEach(p -> out.append(paint("31", "  !  "))
            .append(p.id())
            .append(": ")
            .append(p.message())
            .append("\n        hint: ")
            .append(p.hint())
            .append('\n'));
    out.append('\n');
  }

  private void holds(StringBuilder out, Plan plan) {
    for (var h : plan.holds()) {
      out.append(paint("33", "Held: "))
          .append(h.environment())
          .append(" at snapshot #")
          .append(h.serial())
          .append(" (rollback by ")
          .append(h.by())
          .append(", ")
          .append(h.since())
          .append(")\n");
      if (h.heldBack().isEmpty()) {
        out.append("        projects.yml asks for nothing else there\n");
      } else {
        out.append("        holds back what projects.yml asks for there:\n");
        h.heldBack().forEach(c -> out.append("          ").append(c).append('\n'));
      }
      out.append("        'reconcile apply --release' lets it through\n\n");
    }
  }

  private void notes(StringBuilder out, Plan plan) {
    var notes = plan.changes().stream()
        .filter(c -> c.action() == Action.NOOP && !c.reasons().isEmpty())
        .toList();
    if (notes.isEmpty()) {
      return;
    }
    out.append("Notes:\n");
    notes.forEach(c -> c.reasons()
        .forEach(r ->
            out.append("  ").append(c.label()).append(": ").append(r.text()).append('\n')));
    out.append('\n');
  }

  private static String pad(String symbol) {
    return " ".repeat(Math.max(0, 5 - symbol.length())) + symbol;
  }

  private static String colorOf(Action action) {
    return switch (action) {
      case CREATE -> "32";
      case UPDATE -> "33";
      case REPLACE -> "35";
      case DELETE -> "31";
      case NOOP -> "0";
    };
  }

  private String paint(String code, String text) {
    return color ? "\u001b[" + code + "m" + text + RESET : text;
  }

  private String bold(String text) {
    return paint("1", text);
  }
}
