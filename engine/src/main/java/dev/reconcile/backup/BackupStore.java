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
  static final Comparator<BackupManifest> NEWEST_FIRST =
      Comparator.comparing(BackupManifest::created).thenComparing(BackupManifest::id).reversed();
  private final Path dir;

  public BackupStore(Path stateDir) {
    this.dir = stateDir.resolve("backups");
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
    out.sort(NEWEST_FIRST);
    return out;
  }

  public List<BackupManifest> list(String project, String environment) throws IOException {
    return list().stream().filter(m -> m.project().equals(project) && m.environment().equals(environment))
        .toList();
  }

  public Optional<BackupManifest> find(String id) throws IOException {
    if (!isId(id)) {
      return Optional.empty();
    }
    var folder = dir.resolve(id);
    return Files.isDirectory(folder) ? read(folder) : Optional.empty();
  }

  /** Whether a name can be a backup's id (and so never a path out of the store, or a hidden folder). */
  static boolean isId(String id) {
    return id.matches("[A-Za-z0-9_.-]+") && !id.startsWith(".");
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
