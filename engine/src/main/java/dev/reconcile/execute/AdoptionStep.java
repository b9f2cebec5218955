package dev.reconcile.execute;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Taking over what ran an environment before reconcile, at three moments of its rollout: the
 * containers writing a volume taken over stop just before the volume is made on their data (one
 * writer at a time); the site file that served the domains is moved aside, a copy kept, just
 * before reconcile's site is judged and installed; the other containers stop once the front door
 * serves reconcile's and they have drained. All are kept, for {@code reconcile adopt --undo}.
 */
final class AdoptionStep {
  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final EnvironmentChanges plan;
  private final ResourceId id;
  private final FrontDoor door;

  AdoptionStep(
      RolloutContext ctx,
      RolloutJournal journal,
      EnvironmentChanges plan,
      ResourceId site,
      FrontDoor door) {
    this.ctx = ctx;
    this.journal = journal;
    this.plan = plan;
    this.id = ResourceId.adoption(site.project(), site.environment());
    this.door = door;
  }

  /** Where the site file taken over is kept on the front door's host: {@code adopted/P.E/}. */
  static Path keptIn(FrontDoor door, ResourceId id) {
    return door.stateDir().resolve("adopted").resolve(id.project() + "." + id.environment());
  }

  /** The file in {@link #keptIn} that names where the site file was. */
  static final String ORIGIN = "origin";

  /** The file in {@link #keptIn} that lists the containers the apply stopped, one per line. */
  static final String STOPPED = "stopped";

  /**
   * Adds a container to the record before it is stopped: one recorded and never stopped is only
   * "already running" to the undo; one stopped and not recorded would stay stopped.
   */
  private void record(String name) throws StepFailed {
    var kept = keptIn(door, id);
    try {
      var machine = door.host();
      var file = kept.resolve(STOPPED);
      var names = new TreeSet<>(machine.read(file).orElse("").lines().toList());
      if (names.add(name)) {
        machine.createDirectories(kept);
        machine.write(file, String.join("\n", names) + "\n");
      }
    } catch (IOException e) {
      throw new StepFailed(
          id,
          "adopt",
          "cannot record in " + kept + " that " + name + " is stopped (" + e.getMessage()
              + "); it was not stopped");
    }
  }

  private List<ObservedAdoption.Legacy> running() {
    return plan.found(id, ObservedAdoption.class).map(ObservedAdoption::running).orElse(List.of());
  }

  private boolean writes(DesiredAdoption declared, ObservedAdoption.Legacy legacy) {
    return legacy.volumes().stream().anyMatch(declared.writers()::containsKey);
  }

  /** Before volumes are made: stops those writing a volume taken over. */
  void stopWriters() throws StepFailed, ProviderException, InterruptedException {
    var declared = plan.declared(id, DesiredAdoption.class);
    if (declared.isEmpty()) {
      return;
    }
    var host = ctx.hostOf(id);
    for (var legacy : running()) {
      if (writes(declared.get(), legacy)) {
        ctx.cancellation().check(id);
        record(legacy.name());
        journal.adoptedStopped(legacy);
        ctx.listener()
            .step(
                id,
                ctx.retry()
                        .call(() -> ctx.runtime().stopKept(host, id, legacy.name()))
                        .describe()
                    + ": it wrote " + String.join(", ", legacy.volumes())
                    + ", which a container of the environment takes over");
      }
    }
    journal.adoptedToStop(running().stream()
        .filter(l -> !writes(declared.get(), l))
        .map(ObservedAdoption.Legacy::name)
        .toList());
  }

  /**
   * Just before the switch: moves the site file that served the domains aside (nginx reads files
   * only at a reload, so it serves on meanwhile), keeping a copy and where it was.
   */
  void takeOverSite() throws StepFailed {
    var file = plan.declared(id, DesiredAdoption.class).flatMap(DesiredAdoption::site);
    if (file.isEmpty()) {
      return;
    }
    var path = Path.of(file.get());
    var machine = door.host();
    try {
      var text = machine.read(path);
      if (text.isEmpty()) {
        return; // taken over before, or never there: nothing serves the domains from it
      }
      var kept = keptIn(door, id);
      machine.createDirectories(kept);
      var copy = kept.resolve(path.getFileName().toString());
      machine.write(copy, text.get());
      machine.write(kept.resolve(ORIGIN), path + "\n");
      journal.siteTakenOver(new RolloutJournal.TakenOver(path, text.get(), copy));
      machine.delete(path);
      ctx.listener().step(id, "took over the site file " + path + " (kept as " + copy + ")");
    } catch (IOException e) {
      throw new StepFailed(
          id,
          "adopt.site",
          "the site file " + path + " could not be taken over (" + e.getMessage()
              + "); nothing was switched");
    }
  }

  /** After the switch and the drain: stops the rest, which served until then. */
  void stopRest() throws StepFailed, ProviderException, InterruptedException {
    var host = ctx.hostOf(id);
    for (var name : journal.adoptedToStop()) {
      record(name);
      ctx.listener()
          .step(
              id, ctx.retry().call(() -> ctx.runtime().stopKept(host, id, name)).describe());
    }
  }
}
