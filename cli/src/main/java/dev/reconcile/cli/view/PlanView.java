package dev.reconcile.cli.view;

import dev.reconcile.plan.Plan;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.render.MarkdownPlanRenderer;
import dev.reconcile.render.TextPlanRenderer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Shows a plan in the format asked for; faults go to standard error in words. */
public final class PlanView {
  /** The formats of {@code plan --format}. */
  public enum Format {
    text,
    json,
    markdown
  }

  private final Terminal terminal;
  private final Format format;

  public PlanView(Terminal terminal, Format format) {
    this.terminal = terminal;
    this.format = format;
  }

  public void plan(Plan plan) {
    terminal
        .out()
        .print(
            switch (format) {
              case text -> new TextPlanRenderer(terminal.color()).render(plan);
              case json -> PlanJson.write(plan);
              case markdown -> new MarkdownPlanRenderer().render(plan);
            });
    terminal.out().flush();
  }

  /** With changes on several hosts, one line says how many each gets (text only). */
  public void byHost(Map<String, Long> changes) {
    if (format != Format.text || changes.size() < 2) {
      return;
    }
    terminal
        .out()
        .println("By host: "
            + changes.entrySet().stream()
                .map(e ->
                    e.getKey() + " " + e.getValue() + (e.getValue() == 1 ? " change" : " changes"))
                .collect(Collectors.joining(", "))
            + ".");
  }

  public void unobservable(ProviderException fault) {
    terminal
        .err()
        .println("reconcile: " + terminal.red("cannot observe " + fault.where()) + ": "
            + fault.getMessage());
    if (!fault.hint().isEmpty()) {
      terminal.err().println("  " + terminal.dim("hint: " + fault.hint()));
    }
    terminal.err().println("Nothing was planned.");
  }

  /**
   * Servers that were not reached: their projects are not in the plan. One block per server,
   * with why, so it can be fixed or planned later with --project.
   */
  public void unreachable(Map<String, String> why, Map<String, List<String>> leftOut) {
    why.forEach((host, reason) -> {
      var projects = leftOut.getOrDefault(host, List.of());
      terminal
          .err()
          .println("reconcile: " + terminal.red("host " + host + " was not reached") + "; "
              + (projects.isEmpty()
                  ? "no project runs on it, so nothing was left out"
                  : "its projects (" + String.join(", ", projects) + ") not planned")
              + ": " + reason);
    });
    terminal.err().println("The plan above covers the other hosts only.");
  }

  /** A saved plan being applied: it was shown (and reviewed) when it was made, so one line here. */
  public void reviewed(String file, Plan plan) {
    terminal
        .out()
        .println("Applying the reviewed plan " + file + ": "
            + new TextPlanRenderer(terminal.color()).summaryLine(plan));
    terminal.out().flush();
  }

  public void saved(String file) {
    terminal
        .err()
        .println("Saved the plan to " + file + "; apply it with 'reconcile apply " + file + "'.");
  }

  public void downtime(Plan plan) {
    terminal
        .err()
        .println("reconcile: "
            + terminal.red(plan.interruptions().size() + " change(s) would interrupt traffic")
            + " (--fail-on-downtime):");
    plan.interruptions()
        .forEach(
            c -> terminal.err().println("  " + c.label() + ": " + c.impact().word()));
  }

  public void problems(Plan plan) {
    terminal
        .err()
        .println("reconcile: " + terminal.red(plan.problems().size() + " problem(s)")
            + " must be fixed before this plan can be applied (listed above).");
  }
}
