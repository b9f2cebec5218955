package dev.reconcile.backup;

import dev.reconcile.history.BackupManifest;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backups of a state directory: {@code STATE/backups/<id>/}, each with its artifacts and a
 * {@code manifest.json}. A backup is built in {@code .partial-<id>/} and renamed into place only
 * once its manifest is written: a crash leaves a hidden folder, never a listed half-backup.
 */
public final class BackupStore {
  static final String MANIFEST = "manifest.json";
  private final Path dir;

  public BackupStore(Path stateDir) {
    this.dir = stateDir.resolve("backups");
  }

  private BackupStore(Path dir, boolean exact) {
    this.dir = dir;
  }

  /** The store of backups copied off-site into a folder (platform.backup_target). */
  public static BackupStore at(Path folder) {
    return new BackupStore(folder, true);
  }

  /**
   * Copies a backup of another store here: its files, then its manifest, into a hidden folder
   * renamed into place, as a backup is made.
   */
  void copyFrom(BackupStore source, BackupManifest manifest) throws IOException {
    if (Files.isDirectory(dir.resolve(manifest.id()))) {
      return;
    }
    var partial = begin(manifest.id());
    try {
      for (var artifact : manifest.artifacts()) {
        Files.copy(source.file(manifest, artifact), partial.resolve(artifact.file()),
            StandardCopyOption.REPLACE_EXISTING);
        try (var channel = java.nio.channels.FileChannel.open(partial.resolve(artifact.file()),
            java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
      commit(partial, manifest);
    } catch (IOException e) {
      abandon(partial);
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  /** A new folder to build a backup in. */
  Path begin(String id) throws IOException {
    var partial = dir.resolve(".partial-" + id);
    Files.createDirectories(partial);
    return partial;
  }

  /** Writes the manifest last, then makes the backup visible in one rename. */
  void commit(Path partial, BackupManifest manifest) throws IOException {
    AtomicFiles.writeString(partial.resolve(MANIFEST), manifest.write());
    Files.move(partial, dir.resolve(manifest.id()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes a folder begun and not committed. */
  void abandon(Path partial) {
    deleteTree(partial);
  }

  /** Every listed backup, newest first; folders without a readable manifest are not backups. */
  public List<BackupManifest> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var out = new ArrayList<BackupManifest>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (var folder : folders.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        read(folder).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(BackupManifest::created).thenComparing(BackupManifest::id).reversed());
    return out;
  }

  public List<BackupManifest> list(String project, String environment) throws IOException {
    return list().stream().filter(m -> m.project().equals(project) && m.environment().equals(environment))
        .toList();
  }

  public Optional<BackupManifest> find(String id) throws IOException {
    if (!id.matches("[A-Za-z0-9_.-]+") || id.startsWith(".")) {
      return Optional.empty();
    }
    var folder = dir.resolve(id);
    return Files.isDirectory(folder) ? read(folder) : Optional.empty();
  }

  /** Where an artifact of a backup lives. */
  public Path file(BackupManifest manifest, BackupManifest.Artifact artifact) {
    return dir.resolve(manifest.id()).resolve(artifact.file());
  }

  void delete(BackupManifest manifest) {
    // Hidden first, so a crash midway leaves no listed, half-deleted backup.
    var hidden = dir.resolve(".deleting-" + manifest.id());
    try {
      Files.move(dir.resolve(manifest.id()), hidden, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return;
    }
    deleteTree(hidden);
  }

  private static Optional<BackupManifest> read(Path folder) {
    try {
      return BackupManifest.read(Files.readString(folder.resolve(MANIFEST)))
          .filter(m -> m.id().equals(folder.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover hidden folder is never listed.
    }
  }
}
