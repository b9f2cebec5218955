package dev.reconcile.cli.view;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.history.Snapshot;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.SiteDiff;
import dev.reconcile.rollback.Hold;
import dev.reconcile.traffic.Traffic;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code reconcile status} says of one environment: what runs, what serves, what is due. */
public final class StatusView {
  private final Terminal terminal;

  public StatusView(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Everything known of one environment, as {@code reconcile status} shows it. */
  public record Environment(
      String key,
      long pending,
      Optional<Snapshot> latest,
      Optional<Hold> hold,
      List<ObservedContainer> containers,
      List<ObservedService> services,
      Optional<ObservedSite> site,
      Optional<ObservedCertificate> certificate,
      Optional<DesiredCertificate> declaredCertificate,
      Optional<String> unfinished,
      Optional<Traffic> traffic,
      Optional<String> restore,
      Optional<Adopted> adopted) {}

  /**
   * What the environment takes over from before reconcile, and its containers as found.
   *
   * @param what e.g. {@code compose project shop}
   */
  public record Adopted(String what, List<ObservedAdoption.Legacy> containers) {}

  /** An environment no longer declared whose remains are still there: apply removes them. */
  public void undeclared(String key, long pending) {
    terminal
        .out()
        .println(terminal.bold(key) + "  "
            + terminal.yellow("no longer declared: " + pending + " change(s) pending")
            + "  (apply removes what is left of it; its volumes stay)");
  }

  /** Nothing declared, nothing left over. */
  public void nothing(String file) {
    terminal.out().println("No environments: " + file + " declares no project.");
  }

  public void environment(Environment e) {
    var out = terminal.out();
    out.println(terminal.bold(e.key()) + "  "
        + (e.pending() == 0
            ? terminal.green("in sync")
            : terminal.yellow(e.pending() + " change(s) pending"))
        + e.latest()
            .map(s -> "  snapshot #" + s.serial() + " (" + s.result() + ", " + s.time() + ")")
            .orElse("")
        + e.hold().map(h -> "  " + terminal.yellow("held at #" + h.serial())).orElse(""));
    e.containers()
        .forEach(c -> out.println("  " + c.name() + "  " + c.image()
            + c.hostPort().stream()
                .mapToObj(p -> "  127.0.0.1:" + p)
                .findFirst()
                .orElse("")
            + "  " + c.health().orElse(c.state())));
    e.services()
        .forEach(s -> out.println("  " + s.name() + "  " + s.image() + "  service, " + s.running()
            + " of " + s.replicas() + " running"
            + (s.taskAddresses().isEmpty() ? "" : "  " + SiteDiff.upstream(s.taskAddresses()))
            + s.updateState().map(u -> "  last update " + u.replace('_', ' ')).orElse("")));
    out.println("  site: "
        + e.site()
            .map(s -> s.path()
                + (s.editedOutside() ? " (edited outside reconcile)" : "")
                + (s.servesThisFile() ? "" : "; nginx: " + s.serving().describe()))
            .orElse("not installed"));
    e.traffic().filter(t -> e.site().isPresent()).ifPresent(t -> {
      var line = String.format(
          Locale.ROOT,
          "traffic: %.1f requests/min, %s 5xx (last %d min, %d requests)",
          t.perMinute(),
          t.requests() == 0
              ? "no"
              : String.format(Locale.ROOT, "%.1f%%", t.serverErrorShare() * 100),
          t.window().toMinutes(),
          t.requests());
      out.println("  "
          + (t.serverErrors() > 0 && t.serverErrorShare() >= 0.01 ? terminal.yellow(line) : line));
    });
    if (e.certificate().isPresent()) {
      var c = e.certificate().get();
      var left = Duration.between(c.observedAt(), c.notAfter());
      var due =
          e.declaredCertificate().map(d -> left.compareTo(d.renewBefore()) <= 0).orElse(false);
      var line = "certificate: " + String.join(", ", c.domains()) + ", expires "
          + c.notAfter().atZone(ZoneOffset.UTC).toLocalDate() + " (in " + left.toDays() + " days)";
      out.println("  " + (due ? terminal.yellow(line + ", inside its renewal window") : line));
    } else if (e.declaredCertificate().isPresent()) {
      out.println("  certificate: not obtained yet");
    }
    e.adopted().ifPresent(a -> {
      var running =
          a.containers().stream().filter(ObservedAdoption.Legacy::running).toList();
      var stopped = a.containers().size() - running.size();
      var line = "takes over " + a.what() + ": " + stopped + " container"
          + (stopped == 1 ? "" : "s") + " stopped and kept"
          + (running.isEmpty()
              ? ""
              : ", still running: "
                  + String.join(
                      ", ", running.stream().map(ObservedAdoption.Legacy::name).toList())
                  + " (the next apply stops " + (running.size() == 1 ? "it" : "them") + ")");
      out.println("  " + (running.isEmpty() ? line : terminal.yellow(line)));
    });
    e.restore().ifPresent(r -> out.println("  " + terminal.red(r)));
    e.unfinished().ifPresent(u -> out.println("  " + terminal.yellow(u)));
  }
}
