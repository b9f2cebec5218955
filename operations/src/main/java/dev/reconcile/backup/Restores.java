package dev.reconcile.backup;

import dev.reconcile.backup.Backups.BackupFailed;
import dev.reconcile.engine.Layout;
import dev.reconcile.execute.CrashPoints;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.store.RestoreJournal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Puts a backup back: its volumes through staging volumes and a journal that a killed restore
 * resumes from, its database dumps inside their containers, and a mark of the restarts this
 * causes so that drift from any machine does not count them.
 */
public final class Restores {
  /** A restore's upload ends when no byte moves for this long; it has no deadline as a whole. */
  static final Duration STALL = Duration.ofSeconds(120);

  private final PlatformSpec spec;
  private final BackupStore store;
  private final Layout layout;
  private final Clock clock;
  private final Backups backups;

  Restores(Backups backups) {
    this.backups = backups;
    this.spec = backups.spec;
    this.store = backups.store;
    this.layout = backups.layout;
    this.clock = backups.clock;
  }

  /**
   * Puts the backup's volumes back, all or nothing for each: every volume is first written into a
   * staging volume of its own while the containers still run, and counted; then a backup is taken
   * of what the restore replaces; then, with the containers that mount a restored volume stopped,
   * each volume's files are replaced by its staging volume's inside the engine, and the
   * containers start again. A journal (RestoreJournal) says how far it got: a restore killed or
   * failed while a volume is being replaced leaves those containers stopped, every later command
   * refuses to start them, and running the restore again resumes from the staging volumes.
   */
  public List<String> restoreVolumes(
      BackupManifest manifest, ObservedState observed, ContainerRuntime runtime)
      throws BackupFailed {
    var projectSpec = backups.projectOf(manifest);
    backups.ensureLocal(manifest); // each archive is checked against the manifest as it streams
    var host = backups.host(projectSpec);
    var key = manifest.project() + "/" + manifest.environment();
    var journal = new RestoreJournal(layout.home());
    var volumes =
        manifest.artifacts().stream().filter(a -> a.kind().equals("volume")).toList();
    if (volumes.isEmpty()) {
      return List.of();
    }
    var running = Backups.containersOf(observed, manifest.project(), manifest.environment());
    var entry = unfinished(journal, key)
        .filter(e -> e.backup().equals(manifest.id()))
        .orElseGet(() -> new RestoreJournal.Entry(
            manifest.id(),
            volumes.stream()
                .collect(Collectors.toMap(
                    BackupManifest.Artifact::name,
                    a -> RestoreJournal.Phase.STAGING,
                    (a, b) -> a,
                    LinkedHashMap::new)),
            Optional.empty()));
    var done = new ArrayList<String>();
    // 2, begun first: what the restore replaces, kept, taken while the volumes stage (the two
    // compete for no lock, and each is bound by the engine's copy, not by this process).
    var safety = entry.safetyBackup().isEmpty() && !entry.halfWritten()
        ? Optional.of(new SafetyBackup(observed, manifest))
        : Optional.<SafetyBackup>empty();
    try {
      // 1. Each volume into its staging volume: slow (an upload), and nothing stops meanwhile.
      for (var artifact : volumes) {
        var volume = artifact.name();
        var id = ResourceId.volume(manifest.project(), manifest.environment(), volume);
        var phase = entry.volumes().getOrDefault(volume, RestoreJournal.Phase.STAGING);
        if (phase == RestoreJournal.Phase.DONE
            || phase != RestoreJournal.Phase.STAGING && backups.archives().staged(host, id)) {
          done.add("volume " + volume + " (staged before)");
          continue;
        }
        entry = entry.with(volume, RestoreJournal.Phase.STAGING);
        journal.write(key, entry);
        var image = image(projectSpec, running, manifest, volume);
        // Checked while it uploads, in one read: its size and SHA-256 against the manifest, every
        // tar header on the way. Only a staging volume is written, so a damaged file found at the
        // end has touched nothing.
        long staged;
        long files;
        try (var counted =
                new Artifacts.Counted(Files.newInputStream(store.file(manifest, artifact)));
            var tar = new TarCheck.Watching(
                new GZIPInputStream(new Artifacts.Unclosed(counted), 64 * 1024));
            // Read, checked and unpacked on a thread of its own, while the engine writes.
            var ahead = new ReadAhead(tar, 1 << 20, 8)) {
          // Unclosed: the upload closes what it was given, and the rest is read here after it.
          staged = backups.archives().stage(host, id, image, new Artifacts.Unclosed(ahead), STALL);
          ahead.transferTo(OutputStream.nullOutputStream());
          counted.transferTo(OutputStream.nullOutputStream());
          files = tar.files();
          var damaged = Artifacts.mismatch(counted, artifact);
          if (damaged.isPresent()) {
            throw new BackupFailed(
                "backup " + manifest.id() + " is damaged (" + damaged.get() + "); volume " + volume
                    + " itself was not touched",
                null);
          }
        }
        if (staged != files) {
          throw new BackupFailed(
              "volume " + volume + " was written with " + staged + " files, the backup holds "
                  + files + "; the volume itself was not touched",
              null);
        }
        entry = entry.with(volume, RestoreJournal.Phase.STAGED);
        journal.write(key, entry);
      }
      CrashPoints.reached("restore-staged");
      if (safety.isPresent()) {
        var kept = safety.get().await();
        entry = entry.withSafetyBackup(kept.id());
        journal.write(key, entry);
        done.add("a backup of what it replaces, " + kept.id());
      }
      CrashPoints.reached("restore-backed-up");
    } catch (IOException e) {
      safety.ifPresent(SafetyBackup::awaitQuietly);
      throw new BackupFailed(
          "restoring " + manifest.id() + " failed before any volume was touched: " + e.getMessage(),
          e);
    } catch (ProviderException e) {
      safety.ifPresent(SafetyBackup::awaitQuietly);
      throw new BackupFailed(
          "restoring " + manifest.id() + " failed before any volume was touched: " + e.getMessage(),
          e);
    } catch (BackupFailed e) {
      safety.ifPresent(SafetyBackup::awaitQuietly);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupFailed(
          "restoring " + manifest.id() + " was interrupted before any volume was touched", e);
    }
    // 3. The swap, with the writers stopped: quick (inside the engine), and journalled.
    var restored = volumes.stream().map(BackupManifest.Artifact::name).toList();
    var writers = running.stream()
        .filter(c -> restored.stream().anyMatch(v -> Backups.mounts(projectSpec, c, v)))
        .toList();
    try {
      for (var writer : writers) {
        runtime.stop(host, writer.id(), writer.containerId());
      }
      for (var volume : restored) {
        if (entry.volumes().get(volume) == RestoreJournal.Phase.DONE) {
          continue;
        }
        entry = entry.with(volume, RestoreJournal.Phase.SWAPPING);
        journal.write(key, entry);
        CrashPoints.reached("restore-swapping");
        backups
            .archives()
            .swapIn(
                host,
                ResourceId.volume(manifest.project(), manifest.environment(), volume),
                image(projectSpec, running, manifest, volume),
                layout.owner());
        CrashPoints.reached("restore-swapped");
        entry = entry.with(volume, RestoreJournal.Phase.DONE);
        journal.write(key, entry);
        done.add("volume " + volume);
      }
      journal.finish(key);
    } catch (IOException | ProviderException | BackupFailed e) {
      // Its writers stay stopped: a half-written volume is not for an app to run on.
      throw new BackupFailed(
          "restoring " + manifest.id() + " failed while replacing its volumes: " + e.getMessage()
              + "; " + writers.size() + " container(s) that use them stay stopped; "
              + entry.describe(key),
          e);
    }
    // 4. The writers start again, then the staging volumes go: the app's downtime does not wait
    // for their removal (done beside the start, the removal held the engine's volume store and
    // slowed the start down: measured, docs/benchmarks.md).
    try {
      for (var writer : writers) {
        runtime.startAgain(host, writer.id(), writer.containerId());
      }
    } catch (ProviderException e) {
      throw new BackupFailed(
          "the volumes were restored, but starting " + writers.size() + " container(s) again "
              + "failed: " + e.getMessage() + "; reconcile apply starts them",
          e);
    }
    if (!writers.isEmpty()) {
      done.add(
          writers.size() + " container(s) stopped while the files were replaced, started again");
    }
    for (var volume : restored) {
      try {
        backups
            .archives()
            .discardStaged(
                host, ResourceId.volume(manifest.project(), manifest.environment(), volume));
      } catch (ProviderException e) {
        // The restore is done; a staging volume left is the next restore's to remove.
        done.add("the staging volume of " + volume + " was left: " + e.getMessage());
      }
    }
    return done;
  }

  static Optional<RestoreJournal.Entry> unfinished(RestoreJournal journal, String key)
      throws BackupFailed {
    try {
      return journal.unfinished(key);
    } catch (IOException e) {
      throw new BackupFailed("cannot read the restore journal: " + e.getMessage(), e);
    }
  }

  /**
   * The backup of what a restore replaces, taken on a thread of its own. A restore that fails
   * before the swap still waits for it, so no half-written backup folder outlives the command.
   */
  private final class SafetyBackup {
    private final CompletableFuture<BackupManifest> taken;

    SafetyBackup(ObservedState observed, BackupManifest restoring) {
      taken = new CompletableFuture<>();
      Thread.ofVirtual().name("safety-backup").start(() -> {
        try {
          taken.complete(backups.take(
              observed,
              restoring.project(),
              restoring.environment(),
              "before restoring " + restoring.id(),
              Optional.empty()));
        } catch (BackupFailed | RuntimeException e) {
          taken.completeExceptionally(e);
        }
      });
    }

    BackupManifest await() throws BackupFailed, InterruptedException {
      try {
        return taken.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof BackupFailed failed) {
          throw new BackupFailed(
              "the backup of what the restore replaces failed: " + failed.getMessage(), failed);
        }
        throw new BackupFailed(
            "the backup of what the restore replaces failed: " + e.getCause(), e.getCause());
      }
    }

    void awaitQuietly() {
      try {
        taken.exceptionally(e -> null).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // Its failure is not the one to report.
      }
    }
  }

  private static String image(
      ProjectSpec projectSpec,
      List<ObservedContainer> running,
      BackupManifest manifest,
      String volume)
      throws BackupFailed {
    return Backups.helperImage(projectSpec, running, volume)
        .or(() -> manifest.images().stream().map(BackupManifest.KeptImage::tag).findFirst())
        .orElseThrow(
            () -> new BackupFailed("no image to restore volume " + volume + " with", null));
  }

  /**
   * When a restore last stopped and started the containers of an environment: those starts are
   * the tool's own, not drift.
   */
  public static Optional<Instant> restartedByRestore(StateHome home, String environmentKey) {
    try {
      return home.read(restartMark(home, environmentKey)).map(t -> Instant.parse(t.strip()));
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** In the state home: a drift check from any machine must know the restore's restarts. */
  private static Path restartMark(StateHome home, String environmentKey) {
    return home.dir().resolve("restarts").resolve(environmentKey.replace('/', '.'));
  }

  /** Puts back what a backup holds of the chosen kinds: its volumes, then its databases. */
  public List<String> restore(
      BackupManifest manifest,
      ObservedState observed,
      ContainerRuntime runtime,
      boolean volumes,
      boolean databases)
      throws BackupFailed {
    try {
      restoreRestarts(manifest);
      return restoreUnmarked(manifest, observed, runtime, volumes, databases);
    } finally {
      restoreRestarts(manifest);
    }
  }

  /** What a failure message adds about the parts restored before it: they stay restored. */
  private static String restoredBefore(List<String> done) {
    return done.isEmpty() ? "" : "; restored before: " + String.join(", ", done);
  }

  /** Notes now as the tool's own restart of the environment (before, and again after, a restore). */
  private void restoreRestarts(BackupManifest manifest) {
    var key = manifest.project() + "/" + manifest.environment();
    try {
      layout.home().write(restartMark(layout.home(), key), clock.instant().toString());
    } catch (IOException e) {
      // Without the mark, the containers a restore started again show as restarted drift.
    }
  }

  private List<String> restoreUnmarked(
      BackupManifest manifest,
      ObservedState observed,
      ContainerRuntime runtime,
      boolean volumes,
      boolean databases)
      throws BackupFailed {
    var done = new ArrayList<String>();
    backups.ensureLocal(manifest).ifPresent(from -> done.add("its files " + from));
    if (volumes) {
      done.addAll(restoreVolumes(manifest, observed, runtime));
    }
    if (databases) {
      try {
        done.addAll(restoreDatabases(manifest, observed, runtime));
      } catch (BackupFailed e) {
        throw done.isEmpty()
            ? e
            : new BackupFailed(e.getMessage() + restoredBefore(done), e.getCause());
      }
    }
    return done;
  }

  /**
   * Loads the backup's database dumps back, each inside its container as backup.databases says
   * now. The environment's other containers (the database's writers) are stopped meanwhile and
   * started again after; a container that holds its database file (sqlite) is started again too,
   * so it opens the restored file.
   */
  public List<String> restoreDatabases(
      BackupManifest manifest, ObservedState observed, ContainerRuntime runtime)
      throws BackupFailed {
    var projectSpec = backups.projectOf(manifest);
    var dumps =
        manifest.artifacts().stream().filter(a -> a.kind().equals("database")).toList();
    if (dumps.isEmpty()) {
      return List.of();
    }
    backups.checkedLocal(manifest, "database");
    var declared = projectSpec.backup().map(b -> b.databases()).orElse(List.of());
    var host = backups.host(projectSpec);
    var running = Backups.containersOf(observed, manifest.project(), manifest.environment());
    var done = new ArrayList<String>();
    for (var artifact : dumps) {
      var database = declared.stream()
          .filter(d -> d.name().equals(artifact.name()))
          .findFirst()
          .orElseThrow(() -> new BackupFailed(
              "database " + artifact.name() + " is no longer in backup.databases "
                  + "of " + manifest.project()
                  + ", so how to load it is unknown; nothing of it was restored"
                  + restoredBefore(done),
              null));
      var container = Backups.runningContainer(running, database)
          .orElseThrow(() -> new BackupFailed(
              "database "
                  + database.describe() + ": container " + database.container()
                  + " is not running, so the dump cannot be "
                  + "loaded; deploy the environment first" + restoredBefore(done),
              null));
      var writers = running.stream()
          .filter(c -> !c.containerId().equals(container.containerId()))
          .toList();
      var file = store.file(manifest, artifact);
      try {
        long size;
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
          size = in.transferTo(OutputStream.nullOutputStream());
        }
        withStopped(host, runtime, writers, () -> {
          try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            backups
                .archives()
                .execIn(host, container.containerId(), database.restoreArgv(), in, size);
          }
          if (database.restartAfterRestore()) {
            runtime.stop(host, container.id(), container.containerId());
            runtime.startAgain(host, container.id(), container.containerId());
          }
        });
        done.add("database " + database.name()
            + (writers.isEmpty()
                ? ""
                : " (" + writers.size()
                    + " other container(s) stopped while it was loaded, started again)"));
      } catch (ProviderException e) {
        throw new BackupFailed(
            "restoring database " + database.describe() + " failed: " + e.getMessage()
                + restoredBefore(done),
            e);
      } catch (IOException e) {
        throw new BackupFailed(
            "reading " + artifact.file() + " failed: " + e.getMessage() + restoredBefore(done), e);
      }
    }
    return done;
  }

  private interface Step {
    void run() throws IOException, ProviderException;
  }

  /** Runs a step with the writers stopped, and starts them again however it ends. */
  private static void withStopped(
      HostSpec host, ContainerRuntime runtime, List<ObservedContainer> writers, Step step)
      throws IOException, ProviderException {
    try {
      for (var writer : writers) {
        runtime.stop(host, writer.id(), writer.containerId());
      }
      step.run();
    } finally {
      for (var writer : writers) {
        runtime.startAgain(host, writer.id(), writer.containerId());
      }
    }
  }
}
