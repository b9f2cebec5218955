package dev.reconcile.render;

import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;
import java.util.regex.Pattern;

/** The plan as a pull-request comment: a headline, a table of changes, then the details. */
public final class MarkdownPlanRenderer implements PlanRenderer {
  private static final Pattern SPECIAL = Pattern.compile("([\\\\`*_\\[\\]<|])");

  @Override
  public String render(Plan plan) {
    var out = new StringBuilder("### reconcile plan\n\n");
    holds(out, plan);
    if (!plan.holds().isEmpty()) {
      out.append('\n');
    }
    if (!plan.hasChanges()) {
      out.append("**No changes.** Everything matches `projects.yml` (")
          .append(plan.summary().noop())
          .append(" resources checked).\n");
      problems(out, plan);
      return out.toString();
    }
    out.append("**")
        .append(PlanWords.summary(plan))
        .append("**; ")
        .append(PlanWords.unchanged(plan))
        .append(". Traffic: ")
        .append(escape(PlanWords.traffic(plan)))
        .append(".\n\n");
    out.append("| | Resource | Action | Traffic |\n|---|---|---|---|\n");
    plan.changes().stream()
        .filter(c -> c.action().isChange())
        .forEach(c -> out.append("| `")
            .append(c.action().symbol())
            .append("` | `")
            .append(c.label())
            .append("` | ")
            .append(PlanWords.verb(c.action()))
            .append(c.strategy().map(s -> " (" + s.word() + ")").orElse(""))
            .append(" | ")
            .append(c.impact().word())
            .append(" |\n"));
    problems(out, plan);
    out.append("\n<details><summary>Details</summary>\n\n");
    plan.changes().stream().filter(c -> c.action().isChange()).forEach(c -> details(out, c));
    out.append("\n</details>\n");
    return out.toString();
  }

  private static void details(StringBuilder out, Change change) {
    out.append("- **")
        .append(PlanWords.verb(change.action()))
        .append("** `")
        .append(change.label())
        .append("`\n");
    change.reasons().forEach(r -> out.append("  - ").append(escape(r.text())).append('\n'));
  }

  private static void holds(StringBuilder out, Plan plan) {
    for (var h : plan.holds()) {
      out.append("\n> **Held:** `")
          .append(h.environment())
          .append("` stays at snapshot #")
          .append(h.serial())
          .append(" (rollback by ")
          .append(escape(h.by()))
          .append("), holding back ")
          .append(h.heldBack().size())
          .append(" change(s) until `reconcile apply --release`.\n");
    }
  }

  private static void problems(StringBuilder out, Plan plan) {
    if (plan.problems().isEmpty()) {
      return;
    }
    out.append("\n#### Problems: apply refuses this plan until they are fixed\n\n");
    plan.problems()
        .forEach(p -> out.append("- `")
            .append(p.id())
            .append("`: ")
            .append(escape(p.message()))
            .append("  \n  *Hint:* ")
            .append(p.hint())
            .append('\n'));
  }

  static String escape(String text) {
    return SPECIAL.matcher(text).replaceAll("\\\\$1");
  }
}
