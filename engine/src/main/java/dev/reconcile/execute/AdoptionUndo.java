package dev.reconcile.execute;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Puts back what an environment took over ({@code reconcile adopt --undo}), in the order that
 * keeps one writer per folder and the domains served: reconcile's containers on a volume taken
 * over stop; the containers from before that the apply stopped start again (writers first, each
 * until healthy); the site file taken over goes back where it was and reconcile's site is removed,
 * judged by nginx -t, reloaded; then reconcile's other containers stop. reconcile's containers are
 * kept, as theirs were.
 */
public final class AdoptionUndo {
  /** How long a container started again may take to be healthy (a database replaying its log). */
  static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);

  private final RolloutContext ctx;
  private final ResourceId id;
  private final List<Change> changes;
  private final List<String> done = new ArrayList<>();

  AdoptionUndo(RolloutContext ctx, Plan plan, ResourceId id) {
    this.ctx = ctx;
    this.id = id;
    this.changes = plan.changes().stream()
        .filter(c -> c.id().environmentKey().equals(id.environmentKey()))
        .toList();
  }

  /**
   * What an undo did, in order, and the failure that stopped it, if one did.
   *
   * @param done each step, e.g. "container shop_db_1 started again"
   */
  public record Result(List<String> done, Optional<StepFailed> failure) {
    public Result {
      done = List.copyOf(done);
    }
  }

  Result run() throws InterruptedException {
    try {
      undo();
      return new Result(done, Optional.empty());
    } catch (StepFailed e) {
      return new Result(done, Optional.of(e));
    }
  }

  private void undo() throws StepFailed, InterruptedException {
    var change = changes.stream().filter(c -> c.id().equals(id)).findFirst();
    var declared = change
        .flatMap(c -> c.declared())
        .filter(DesiredAdoption.class::isInstance)
        .map(DesiredAdoption.class::cast);
    if (declared.isEmpty()) {
      throw new StepFailed(
          id,
          "adopt",
          id.environmentKey() + " takes nothing over: projects.yml declares no adopt.compose,"
              + " adopt.containers or adopt.site for it");
    }
    var legacy = change
        .flatMap(c -> c.found(ObservedAdoption.class))
        .map(ObservedAdoption::containers)
        .orElse(List.of());
    var host = ctx.hostOf(id);
    var door = ctxDoor();
    var kept = AdoptionStep.keptIn(door, id);
    try {
      var recorded = door.host()
          .read(kept.resolve(AdoptionStep.STOPPED))
          .map(t -> Set.copyOf(t.lines().filter(l -> !l.isBlank()).toList()));
      var toStart = legacy.stream()
          .filter(l -> !l.running())
          .filter(l -> recorded.map(r -> r.contains(l.name())).orElse(true))
          .toList();
      if (toStart.isEmpty() && !legacy.isEmpty() && legacy.stream().noneMatch(l -> l.running())) {
        throw new StepFailed(
            id,
            "adopt",
            "none of " + declared.get().describe() + "'s containers was stopped by reconcile"
                + recorded
                    .map(r -> " (" + kept.resolve(AdoptionStep.STOPPED) + " lists "
                        + String.join(", ", r) + ")")
                    .orElse("")
                + "; nothing to start again");
      }
      if (legacy.isEmpty()) {
        throw new StepFailed(
            id,
            "adopt",
            "no container of " + declared.get().describe() + " is on host " + host.name()
                + " any more ('docker ps -a' lists them): nothing to start again");
      }
      var writers = new HashSet<String>();
      declared.get().writers().values().forEach(writers::addAll);
      var ours = ours();
      // One writer per folder: ours stop before theirs start.
      for (var container : ours) {
        if (writers.contains(container.id().name().orElseThrow())) {
          stop(container);
        }
      }
      var adoptedVolumes = declared.get().writers().keySet();
      for (var first : List.of(true, false)) {
        for (var l : toStart) {
          if (l.volumes().stream().anyMatch(adoptedVolumes::contains) == first) {
            start(l);
          }
        }
      }
      putSiteBack(door, kept);
      ctx.cancellation().sleep(id, ctx.settings().drain());
      for (var container : ours) {
        if (!writers.contains(container.id().name().orElseThrow())) {
          stop(container);
        }
      }
      door.host().deleteTree(kept);
    } catch (ProviderException e) {
      throw StepFailed.of(id, e);
    } catch (IOException e) {
      throw new StepFailed(id, "adopt", String.valueOf(e.getMessage()));
    }
  }

  private FrontDoor ctxDoor() throws StepFailed {
    try {
      return ctx.doorOf(ctx.hostOf(id));
    } catch (ProviderException e) {
      throw StepFailed.of(id, e);
    }
  }

  /** reconcile's running containers of the environment. */
  private List<ObservedContainer> ours() {
    return changes.stream()
        .filter(c -> c.id().kind() == ResourceKind.CONTAINER && c.slot().isEmpty())
        .flatMap(c -> c.found(ObservedContainer.class).stream())
        .filter(ObservedContainer::isRunning)
        .toList();
  }

  private void stop(ObservedContainer container) throws ProviderException, InterruptedException {
    var outcome = ctx.retry()
        .call(() -> ctx.runtime().stop(ctx.hostOf(id), container.id(), container.name()));
    say(outcome.describe() + " (kept)");
  }

  private void start(ObservedAdoption.Legacy legacy)
      throws ProviderException, InterruptedException, StepFailed {
    var host = ctx.hostOf(id);
    say(ctx.retry()
        .call(() -> ctx.runtime().startAgain(host, id, legacy.name()))
        .describe());
    var until = System.nanoTime() + HEALTHY_WITHIN.toNanos();
    while (true) {
      var health = ctx.runtime().health(host, legacy.containerId());
      if (health.equals("healthy") || health.equals("running")) {
        return;
      }
      if (!health.equals("starting") || System.nanoTime() > until) {
        throw new StepFailed(
            id,
            "adopt",
            legacy.name() + " was started again and is " + health
                + (health.equals("starting") ? " after " + HEALTHY_WITHIN.toSeconds() + " s" : "")
                + " ('docker logs " + legacy.name() + "' says why)");
      }
      ctx.cancellation().sleep(id, Duration.ofMillis(250));
    }
  }

  /** The site file from before goes back, reconcile's goes, and nginx judges it before a reload. */
  private void putSiteBack(FrontDoor door, Path kept)
      throws IOException, ProviderException, StepFailed {
    var machine = door.host();
    var origin = machine.read(kept.resolve(AdoptionStep.ORIGIN)).map(String::strip);
    if (origin.isEmpty()) {
      return;
    }
    var file = Path.of(origin.get());
    var copy = kept.resolve(file.getFileName().toString());
    var text = machine.read(copy);
    if (text.isEmpty()) {
      throw new StepFailed(
          id, "adopt.site", "the copy of " + file + " is missing from " + copy + "; not put back");
    }
    var site = ResourceId.site(id.project(), id.environment());
    try (var held = ctx.lockOf(ctx.hostOf(id)).hold()) {
      var ours = ctx.sites().installed(door, site);
      machine.write(file, text.get());
      ctx.sites().uninstall(door, site);
      if (ctx.sites().checkInstalled(door) instanceof SiteControl.Verdict.Rejected rejected) {
        machine.delete(file);
        if (ours.isPresent()) {
          ctx.sites().install(door, site, ours.get());
        }
        throw new StepFailed(
            id,
            "nginx -t",
            "with " + file + " back and reconcile's site removed, nginx -t refused the"
                + " configuration; reconcile's site stays:\n" + rejected.output());
      }
      ctx.sites().reload(door);
    }
    say("put the site file " + file + " back and removed reconcile's site; nginx reloaded");
  }

  private void say(String line) {
    done.add(line);
    ctx.listener().step(id, line);
  }
}
