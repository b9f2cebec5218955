package dev.reconcile.backup;

import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.Layout;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.CrashPoints;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.history.SnapshotJson;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.model.DatabaseDump;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.store.RestoreJournal;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Texts;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Takes, verifies, restores and prunes the backups of project environments. */
public final class Backups {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  final PlatformSpec spec;
  final BackupStore store;
  final Layout layout;
  private final @Nullable VolumeArchives archives;
  private final Hosts hosts;
  final Clock clock;
  /** Null until first asked for. */
  private @Nullable Optional<OffSite> target;

  private @Nullable Optional<OffSite> shared;
  private DiskGuard disk;

  /**
   * @param archives the provider that reads and writes volumes; null when only listing and finding
   * @param hosts connects the off-site target (this machine, or its SFTP server)
   */
  public Backups(
      PlatformSpec spec,
      Layout layout,
      @Nullable VolumeArchives archives,
      Hosts hosts,
      Clock clock) {
    this.spec = spec;
    this.layout = layout;
    this.store = new BackupStore(layout.stateDir());
    this.archives = archives;
    this.hosts = hosts;
    this.clock = clock;
    this.disk = new DiskGuard(store.dir(), DiskGuard.DEFAULT_RESERVE, DiskGuard.DEFAULT_EVERY);
  }

  /** For tests: how much stays free, and how often it is looked at. */
  Backups keepingFree(long reserve, long every) {
    this.disk = new DiskGuard(store.dir(), reserve, every);
    return this;
  }

  /** What reads and writes volumes; refused for a Backups made only to list and find. */
  VolumeArchives archives() {
    if (archives == null) {
      throw new IllegalStateException("these backups were opened to list and find, not to take");
    }
    return archives;
  }

  public BackupStore store() {
    return store;
  }

  /** The off-site copies, when platform.backup_target is set; connected on first use. */
  public synchronized Optional<OffSite> target() throws IOException {
    if (target == null) {
      var declared = spec.platform().backupTarget();
      if (declared.isEmpty()) {
        target = Optional.empty();
      } else {
        var t = declared.get();
        try {
          target = Optional.of(
              t.server().isPresent()
                  ? new OffSite(
                      hosts.get(t.server().get(), layout.specDir()),
                      Path.of(t.path()),
                      t.describe())
                  : new OffSite(
                      hosts.thisMachine(),
                      layout.specDir().resolve(t.path()).normalize(),
                      layout.specDir().resolve(t.path()).normalize().toString()));
        } catch (ProviderException e) {
          throw new IOException(
              "cannot reach platform.backup_target " + t.describe() + ": " + e.getMessage(), e);
        }
      }
    }
    return target;
  }

  /**
   * The fleet's backups when its state lives on a server: {@code backups/} in the state home,
   * where every checkout lists and restores them (the local store then only caches what this
   * machine took or fetched). Empty when the home is this machine's, whose store is the local one.
   */
  public synchronized Optional<OffSite> shared() throws IOException {
    if (shared == null) {
      shared = layout.home() instanceof StateHome.Remote remote
          ? Optional.of(new OffSite(
              remote.host().get(),
              remote.dir().resolve("backups"),
              remote.describe(remote.dir().resolve("backups"))))
          : Optional.empty();
    }
    return shared;
  }

  /** Where copies of a backup are kept besides the local store: the state home, then the target. */
  private List<OffSite> copies() throws IOException {
    var out = new ArrayList<OffSite>();
    shared().ifPresent(out::add);
    target().ifPresent(out::add);
    return out;
  }

  /**
   * Copies a backup to the state home on a server and to platform.backup_target, and checks each
   * copy by its checksums, read back from there; empty when every copy is whole (or there is no
   * place to copy to), else what is wrong.
   */
  public Optional<String> copyOffSite(BackupManifest manifest) {
    var problems = new ArrayList<String>();
    try {
      for (var copy : copies()) {
        try {
          copy.put(store, manifest);
          var damaged = copy.verify(manifest, false);
          if (!damaged.isEmpty()) {
            problems.add(
                "the copy in " + copy.shown() + " is damaged: " + String.join("; ", damaged));
          }
        } catch (IOException e) {
          problems.add(
              "copying " + manifest.id() + " to " + copy.shown() + " failed: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /** A backup by id: the local copy, else the state home's, else the off-site one. */
  public Optional<BackupManifest> find(String id) throws IOException {
    var local = store.find(id);
    if (local.isPresent()) {
      return local;
    }
    for (var copy : copies()) {
      var found = copy.find(id);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * Every backup of the fleet, newest first: the local store's and the state home's (a backup
   * taken from another machine is there), one entry per id.
   */
  public List<BackupManifest> list() throws IOException {
    var byId = new LinkedHashMap<String, BackupManifest>();
    store.list().forEach(m -> byId.put(m.id(), m));
    if (shared().isPresent()) {
      shared().get().list().forEach(m -> byId.putIfAbsent(m.id(), m));
    }
    var out = new ArrayList<>(byId.values());
    out.sort(BackupStore.NEWEST_FIRST);
    return out;
  }

  public List<BackupManifest> list(String project, String environment) throws IOException {
    return list().stream()
        .filter(m -> m.project().equals(project) && m.environment().equals(environment))
        .toList();
  }

  /** Whether the local store holds the backup's files. */
  boolean local(BackupManifest manifest) {
    return Files.isDirectory(store.dir().resolve(manifest.id()));
  }

  /**
   * Makes sure the local store holds the backup: when only the off-site copy is left, it is
   * fetched and checked first. Returns where it came from, for the user.
   */
  Optional<String> ensureLocal(BackupManifest manifest) throws BackupFailed {
    if (local(manifest)) {
      return Optional.empty();
    }
    var tried = new ArrayList<String>();
    try {
      for (var copy : copies()) {
        if (copy.find(manifest.id()).isEmpty()) {
          continue;
        }
        try {
          copy.fetch(manifest, store);
          return Optional.of("fetched from " + copy.shown());
        } catch (IOException e) {
          tried.add(copy.shown() + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      tried.add(e.getMessage());
    }
    throw new BackupFailed(
        "backup " + manifest.id() + " has no files in " + store.dir()
            + (tried.isEmpty()
                ? " and no copy in the state home or platform.backup_target to fetch them from"
                : "; fetching a copy failed (" + String.join("; ", tried) + ")")
            + ": nothing was restored",
        null);
  }

  /**
   * The backups of a planned run: through the provider that runs containers (and can archive
   * volumes), reading each site as installed at its host's front door.
   */
  public static Backups forPlan(
      Reconciliation.Outcome.Planned planned, List<Provider> providers, Hosts hosts, Clock clock) {
    var archives = Capabilities.find(providers, VolumeArchives.class)
        .orElseThrow(() -> new IllegalStateException("no installed provider can archive volumes"));
    return new Backups(planned.spec(), planned.layout(), archives, hosts, clock);
  }

  /**
   * Takes a backup of an environment of a planned run, reading its site where its front door is.
   */
  public BackupManifest take(
      Reconciliation.Outcome.Planned planned,
      List<Provider> providers,
      Hosts hosts,
      String project,
      String environment,
      String reason)
      throws BackupFailed {
    var projectSpec = spec.projects().get(project);
    Optional<String> site = Optional.empty();
    var sites = Capabilities.find(providers, SiteControl.class);
    if (projectSpec != null && sites.isPresent()) {
      try {
        var door = new FrontDoors(spec.platform(), layout, hosts).of(host(projectSpec));
        site = sites.get().installed(door, ResourceId.site(project, environment));
      } catch (ProviderException e) {
        throw new BackupFailed(
            "reading the site of " + project + "/" + environment + " failed: " + e.getMessage(), e);
      }
    }
    return take(planned.observed(), project, environment, reason, site);
  }

  /** A backup that could not be taken, verified or restored; the message says which part. */
  public static final class BackupFailed extends Exception {
    public BackupFailed(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Takes a backup of one environment as it runs now: its declared backup volumes, the images of
   * its containers (kept by a tag of the backup's own), its site as installed and its latest
   * snapshot.
   *
   * @param site the site file as installed, if there is one
   */
  public BackupManifest take(
      ObservedState observed,
      String project,
      String environment,
      String reason,
      Optional<String> site)
      throws BackupFailed {
    var projectSpec = spec.projects().get(project);
    if (projectSpec == null) {
      throw new BackupFailed("project " + project + " is not in projects.yml", null);
    }
    var host = host(projectSpec);
    var key = project + "/" + environment;
    // What runs killed while backing up left: their hidden folders, their helper containers.
    try {
      store.sweep();
      archives().sweepHelpers(host);
    } catch (IOException | ProviderException e) {
      // Left for the next run; this backup does not need them gone.
    }
    var restoring = Restores.unfinished(new RestoreJournal(layout.home()), key)
        .filter(RestoreJournal.Entry::halfWritten);
    if (restoring.isPresent()) {
      throw new BackupFailed(
          "not backing up a volume that may be half written: " + restoring.get().describe(key),
          null);
    }
    var now = clock.instant();
    var id = project + "-" + environment + "-" + ID_TIME.format(now) + "-"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    var running = containersOf(observed, project, environment);
    Path partial;
    try {
      var last = store.list(project, environment).stream()
          .findFirst()
          .map(BackupManifest::size)
          .orElse(0L);
      var wontFit = disk.wontFit(last);
      if (wontFit != null) {
        throw new BackupFailed(
            "the backup of " + project + "/" + environment + " was not started: " + wontFit, null);
      }
      partial = store.begin(id);
    } catch (IOException e) {
      throw new BackupFailed(
          "cannot make the backup's folder in " + store.dir() + ": " + e.getMessage(), e);
    }
    try {
      var artifacts = new ArrayList<BackupManifest.Artifact>();
      for (var volume : projectSpec.backup().map(b -> b.volumes()).orElse(List.of())) {
        var volumeId = ResourceId.volume(project, environment, volume);
        var image = helperImage(projectSpec, running, volume)
            .orElseThrow(() -> new BackupFailed(
                "no image of "
                    + project + "/" + environment + " is on host " + host.name()
                    + " to read volume " + volume
                    + " with: deploy the environment first",
                null));
        var file = "volume-" + volume + ".tar.gz";
        artifacts.add(write(partial.resolve(file), "volume", volume, file, out -> {
          try (var gzip = new AdaptiveGzip(out)) {
            archives().export(host, volumeId, image, new FilterOutputStream(gzip) {
              private boolean first = true;

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                if (first) {
                  first = false;
                  // The crash tests' seam: killed while a volume's files stream out.
                  CrashPoints.reached("backup-writing");
                }
                gzip.write(b, off, len);
              }
            });
          }
        }));
      }
      for (var database : projectSpec.backup().map(b -> b.databases()).orElse(List.of())) {
        var container = runningContainer(running, database)
            .orElseThrow(() -> new BackupFailed(
                "database "
                    + database.describe() + ": container " + database.container() + " of " + project
                    + "/" + environment
                    + " is not running, so it cannot be dumped",
                null));
        try {
          artifacts.add(write(
              partial.resolve(database.fileName()),
              "database",
              database.name(),
              database.fileName(),
              out -> {
                try (var gzip = new AdaptiveGzip(out)) {
                  archives()
                      .execOut(
                          host, container.containerId(), database.dumpArgv(), gzip, DUMP_STALL);
                }
              }));
        } catch (ProviderException e) {
          throw new BackupFailed(
              "dumping database " + database.describe() + " failed: " + e.getMessage(), e);
        }
      }
      if (site.isPresent()) {
        artifacts.add(write(
            partial.resolve("site.conf"),
            "site",
            project + "/" + environment,
            "site.conf",
            out -> out.write(site.get().getBytes(StandardCharsets.UTF_8))));
      }
      var snapshot = layout.snapshots(spec.platform().history()).latest(project, environment);
      if (snapshot.isPresent()) {
        artifacts.add(write(
            partial.resolve("snapshot.json"),
            "snapshot",
            "#" + snapshot.get().serial(),
            "snapshot.json",
            out -> out.write(SnapshotJson.write(snapshot.get()).getBytes(StandardCharsets.UTF_8))));
      }
      var images = new ArrayList<BackupManifest.KeptImage>();
      for (var container : running) {
        var component = container.id().name().orElseThrow();
        var repository = "reconcile-backup/" + project + "-" + component;
        archives().keepImage(host, container.imageId(), repository, id);
        images.add(new BackupManifest.KeptImage(
            component, host.name(), container.imageId(), repository + ":" + id));
      }
      var manifest =
          new BackupManifest(id, project, environment, now.toString(), reason, artifacts, images);
      store.commit(partial, manifest);
      return manifest;
    } catch (BackupFailed e) {
      store.abandon(partial);
      throw e;
    } catch (ProviderException e) {
      store.abandon(partial);
      throw new BackupFailed(Texts.messageOf(e), e);
    } catch (IOException e) {
      store.abandon(partial);
      throw new BackupFailed(
          "writing the backup of " + project + "/" + environment + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Checks every artifact of a backup: its size and SHA-256 as recorded, and every archive read to
   * its end. Empty when whole; else one line per bad artifact.
   */
  public List<String> verify(BackupManifest manifest) {
    return verify(manifest, true);
  }

  /** @param readArchives also read every archive and dump to its end (a restore reads it anyway) */
  private List<String> verify(BackupManifest manifest, boolean readArchives) {
    if (local(manifest)) {
      return Artifacts.check(
          manifest, artifact -> Files.newInputStream(store.file(manifest, artifact)), readArchives);
    }
    try {
      for (var copy : copies()) {
        if (copy.find(manifest.id()).isPresent()) {
          return copy.verify(manifest, readArchives);
        }
      }
      return List.of("no files in " + store.dir().resolve(manifest.id()) + " nor a copy of them");
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
  }

  /**
   * How long a database dump may give no output before it is given up. pg_dump takes its table
   * locks before it writes a byte, so a dump behind a long migration is silent; it waits out
   * `--lock-wait-timeout` (below this) itself and fails on its own.
   */
  static final Duration DUMP_STALL = Duration.ofMinutes(10);

  ProjectSpec projectOf(BackupManifest manifest) throws BackupFailed {
    var project = spec.projects().get(manifest.project());
    if (project == null) {
      throw new BackupFailed(
          "project " + manifest.project() + " is no longer in projects.yml", null);
    }
    return project;
  }

  /** The backup's files in the local store (fetched when only the off-site copy is left), checked. */
  void checkedLocal(BackupManifest manifest, String kind) throws BackupFailed {
    ensureLocal(manifest);
    // Sizes and checksums of what is restored first; dumps are read to their end by the restore.
    var only = new BackupManifest(
        manifest.id(),
        manifest.project(),
        manifest.environment(),
        manifest.created(),
        manifest.reason(),
        manifest.artifacts().stream().filter(a -> a.kind().equals(kind)).toList(),
        manifest.images());
    var problems = verify(only, false);
    if (!problems.isEmpty()) {
      throw new BackupFailed(
          "backup " + manifest.id() + " is damaged, nothing was restored: "
              + String.join("; ", problems),
          null);
    }
  }

  static List<ObservedContainer> containersOf(
      ObservedState observed, String project, String environment) {
    return observed
        .all(ObservedContainer.class)
        .filter(c -> c.id().project().equals(project) && c.id().environment().equals(environment))
        .toList();
  }

  static Optional<ObservedContainer> runningContainer(
      List<ObservedContainer> running, DatabaseDump database) {
    return running.stream()
        .filter(c -> c.id().name().orElseThrow().equals(database.container()))
        .filter(ObservedContainer::isRunning)
        .findFirst();
  }

  HostSpec host(ProjectSpec project) throws BackupFailed {
    var host = spec.platform().hosts().get(project.host());
    if (host == null) {
      throw new BackupFailed(
          "host " + project.host() + " of project " + project.name() + " is not declared", null);
    }
    return host;
  }

  /** The image of a container that mounts the volume (else of any container of the environment). */
  static Optional<String> helperImage(
      ProjectSpec project, List<ObservedContainer> running, String volume) {
    return running.stream()
        .filter(c -> mounts(project, c, volume))
        .map(ObservedContainer::imageId)
        .findFirst()
        .or(() -> running.stream().map(ObservedContainer::imageId).findFirst());
  }

  static boolean mounts(ProjectSpec project, ObservedContainer container, String volume) {
    var spec = project
        .containersFor(container.id().environment())
        .get(container.id().name().orElseThrow());
    return spec != null && spec.volumes().containsKey(volume);
  }

  private interface Writer {
    void write(OutputStream out) throws IOException, ProviderException;
  }

  /** Writes one artifact, hashing as it goes, synced to disk before it counts. */
  private BackupManifest.Artifact write(
      Path file, String kind, String name, String fileName, Writer writer)
      throws IOException, ProviderException {
    var digest = Artifacts.sha256();
    try (var channel = FileChannel.open(
        file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(AtomicFiles.PRIVATE))) {
      var out = new DigestOutputStream(
          new BufferedOutputStream(disk.watch(Channels.newOutputStream(channel)), 64 * 1024),
          digest);
      writer.write(new NonClosing(out));
      out.flush();
      channel.force(true);
    }
    return new BackupManifest.Artifact(
        kind, name, fileName, Files.size(file), HexFormat.of().formatHex(digest.digest()));
  }

  /** Lets a writer close its own wrapper (a gzip stream must finish) without closing the file. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Puts back what a backup holds of the chosen kinds: its volumes, then its databases ({@link Restores}). */
  public List<String> restore(
      BackupManifest manifest,
      ObservedState observed,
      ContainerRuntime runtime,
      boolean volumes,
      boolean databases)
      throws BackupFailed {
    return new Restores(this).restore(manifest, observed, runtime, volumes, databases);
  }

  /** Why each backup of an environment is kept ({@link Retention}). */
  public Map<String, String> keptBecause(String project, String environment, int keep)
      throws IOException {
    return new Retention(this).keptBecause(project, environment, keep);
  }

  public Map<String, String> keptBecause(String project, String environment, BackupPolicy policy)
      throws IOException {
    return new Retention(this).keptBecause(project, environment, policy);
  }

  /** Deletes the backups of an environment that are not kept ({@link Retention}); returns them. */
  public List<BackupManifest> prune(String project, String environment, int keep)
      throws IOException {
    return new Retention(this).prune(project, environment, keep);
  }

  public List<BackupManifest> prune(String project, String environment, BackupPolicy policy)
      throws IOException {
    return new Retention(this).prune(project, environment, policy);
  }
}
