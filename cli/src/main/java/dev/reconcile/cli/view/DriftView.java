package dev.reconcile.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.deploy.Deployment;
import dev.reconcile.drift.DriftClass;
import dev.reconcile.drift.DriftItem;
import dev.reconcile.drift.DriftReport;
import dev.reconcile.drift.EnvironmentStatus;
import dev.reconcile.drift.Healer;
import java.util.List;
import java.util.Locale;

/** Shows a drift report: text for people, JSON for tools, Markdown for an issue or a chat. */
public final class DriftView {
  /** The version of the JSON format; see 'reconcile schema drift'. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Format {
    text,
    json,
    markdown
  }

  private final Terminal terminal;
  private final Format format;

  public DriftView(Terminal terminal, Format format) {
    this.terminal = terminal;
    this.format = format;
  }

  public void report(DriftReport report) {
    report(report, Fixing.NOTHING);
  }

  /** What the run goes on to do itself, so the text does not tell the user to run it. */
  public enum Fixing {
    NOTHING,
    DRIFT,
    DRIFT_AND_PENDING
  }

  public void report(DriftReport report, Fixing fixing) {
    switch (format) {
      case json -> terminal.out().println(json(report));
      case markdown -> terminal.out().print(markdown(report));
      case text -> text(report, fixing);
    }
  }

  /** The report as versioned JSON (drift.schema.json). */
  public static String json(DriftReport report) {
    var root = JSON.createObjectNode()
        .put("format_version", FORMAT_VERSION)
        .put("in_sync", report.inSync());
    root.putObject("summary")
        .put("drift", report.count(DriftClass.DRIFT))
        .put("pending", report.count(DriftClass.PENDING));
    var environments = root.putArray("environments");
    for (var e : report.environments()) {
      var o = environments
          .addObject()
          .put("environment", e.environment())
          .put("state", e.state().word());
      e.lastSerial().ifPresentOrElse(s -> o.put("last_serial", s), () -> o.putNull("last_serial"));
      e.lastApplied()
          .ifPresentOrElse(t -> o.put("last_applied", t), () -> o.putNull("last_applied"));
      e.note().ifPresent(n -> o.put("note", n));
    }
    var items = root.putArray("items");
    report.items().forEach(i -> item(items.addObject(), i));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void item(ObjectNode o, DriftItem i) {
    o.put("id", i.id())
        .put("class", i.driftClass().word())
        .put("kind", i.kind())
        .put("environment", i.environment())
        .put("resource", i.resource())
        .put("detail", i.detail());
    i.since().ifPresentOrElse(s -> o.put("since", s), () -> o.putNull("since"));
    o.put("fix", i.fix());
  }

  private void text(DriftReport report, Fixing fixing) {
    var out = terminal.out();
    for (var e : report.environments()) {
      var items = report.items().stream()
          .filter(i -> i.environment().equals(e.environment()))
          .toList();
      out.println(e.environment() + ": " + colored(e.state())
          + e.lastSerial()
              .map(s -> " (last apply: snapshot #" + s
                  + e.lastApplied().map(t -> ", " + t).orElse("") + ")")
              .orElse(" (never applied)")
          + e.note().map(n -> " - " + n).orElse(""));
      for (var i : items) {
        out.println("  "
            + (i.driftClass() == DriftClass.DRIFT
                ? terminal.red("drift  ")
                : terminal.yellow("pending"))
            + " " + i.kind() + ": " + i.detail()
            + i.since().map(s -> terminal.dim(" (since " + s + ")")).orElse(""));
      }
    }
    var drift = report.count(DriftClass.DRIFT);
    var pending = report.count(DriftClass.PENDING);
    if (report.inSync()) {
      out.println(terminal.green("In sync:")
          + " what runs is what was last applied, and projects.yml has nothing " + "new.");
      return;
    }
    out.println();
    out.println(drift + " drifted (changed outside reconcile), " + pending
        + " pending (declared, not applied).");
    if (drift > 0 && fixing == Fixing.NOTHING) {
      out.println("Put back what was applied: reconcile drift --heal" + selection(report.drifted())
          + " --yes");
    }
    if (pending > 0 && fixing != Fixing.DRIFT_AND_PENDING) {
      out.println("Apply what is declared:    reconcile apply" + selection(report.pending()));
    }
  }

  private static String selection(List<String> environments) {
    var projects = environments.stream().map(k -> k.split("/")[0]).distinct().toList();
    var envs = environments.stream().map(k -> k.split("/")[1]).distinct().toList();
    return (projects.size() == 1 ? " --project " + projects.getFirst() : "")
        + (envs.size() == 1 ? " --env " + envs.getFirst() : "");
  }

  private String colored(EnvironmentStatus.State state) {
    return switch (state) {
      case IN_SYNC -> terminal.green(state.word());
      case DRIFTED, FAILING -> terminal.red(state.word());
      case PENDING, HELD, APPLYING, INTERRUPTED, UNREACHABLE -> terminal.yellow(state.word());
    };
  }

  private static String markdown(DriftReport report) {
    var out = new StringBuilder("### reconcile drift\n\n");
    out.append(
        report.inSync()
            ? "In sync.\n"
            : "**" + report.count(DriftClass.DRIFT) + "** drifted, **"
                + report.count(DriftClass.PENDING) + "** pending.\n");
    out.append("\n| environment | state | last apply |\n|---|---|---|\n");
    for (var e : report.environments()) {
      out.append("| ")
          .append(e.environment())
          .append(" | ")
          .append(e.state().word())
          .append(" | ")
          .append(e.lastSerial()
              .map(s -> "#" + s + e.lastApplied().map(t -> " " + t).orElse(""))
              .orElse("never"))
          .append(" |\n");
    }
    if (!report.items().isEmpty()) {
      out.append("\n| class | kind | environment | detail | fix |\n|---|---|---|---|---|\n");
      for (var i : report.items()) {
        out.append("| ")
            .append(i.driftClass().word())
            .append(" | ")
            .append(i.kind())
            .append(" | ")
            .append(i.environment())
            .append(" | ")
            .append(cell(i.detail()))
            .append(" | `")
            .append(i.fix())
            .append("` |\n");
      }
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  public void healed(List<Healer.Healed> healed) {
    for (var h : healed) {
      var ok = h.result() == Deployment.Result.APPLIED;
      terminal
          .out()
          .println((ok ? terminal.green("healed") : terminal.red("not healed")) + " "
              + h.environment() + ": " + h.how()
              + (ok ? "" : " (" + h.result().name().toLowerCase(Locale.ROOT) + ")"));
    }
  }

  public void nothingToHeal() {
    terminal
        .out()
        .println(
            "Nothing to heal: no drift" + " (pending changes are applied with --include-pending).");
  }

  public void warning(String what) {
    terminal.err().println("reconcile: " + terminal.yellow("warning") + ": " + what);
  }

  public void failed(String what, String why) {
    terminal.err().println("reconcile: " + terminal.red(what) + ": " + why);
  }
}
