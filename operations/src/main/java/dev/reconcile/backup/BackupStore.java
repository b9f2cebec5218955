package dev.reconcile.backup;

import dev.reconcile.history.BackupManifest;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The backups of a state directory: {@code STATE/backups/<id>/}, each with its artifacts and a
 * {@code manifest.json}. A backup is built in {@code .partial-<id>/} and renamed into place only
 * once its manifest is written: a crash leaves a hidden folder, never a listed half-backup.
 */
public final class BackupStore {
  static final String MANIFEST = "manifest.json";
  static final Comparator<BackupManifest> NEWEST_FIRST = Comparator.comparing(
          BackupManifest::created)
      .thenComparing(BackupManifest::id)
      .reversed();
  private final Path dir;

  public BackupStore(Path stateDir) {
    this.dir = stateDir.resolve("backups");
  }

  public Path dir() {
    return dir;
  }

  /** Folders and files of backups: their owner's alone (they hold database rows). */
  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

  /**
   * A new folder to build a backup in, with an OS lock held on it until it is committed or
   * abandoned (or the process dies): what a killed run leaves is found by {@link #sweep}.
   */
  Path begin(String id) throws IOException {
    createPrivate(dir);
    var partial = dir.resolve(".partial-" + id);
    createPrivate(partial);
    var channel =
        FileChannel.open(lockOf(partial), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    var lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IOException(partial + " is being written by another process");
    }
    WRITING.put(partial, lock);
    return partial;
  }

  private static final Map<Path, FileLock> WRITING = new ConcurrentHashMap<>();

  private static Path lockOf(Path partial) {
    return partial.resolveSibling(partial.getFileName() + ".lock");
  }

  private static void createPrivate(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, FOLDER);
  }

  /** Writes the manifest last, then makes the backup visible in one rename. */
  void commit(Path partial, BackupManifest manifest) throws IOException {
    AtomicFiles.writeString(partial.resolve(MANIFEST), manifest.write(), AtomicFiles.PRIVATE);
    Files.move(partial, dir.resolve(manifest.id()), StandardCopyOption.ATOMIC_MOVE);
    release(partial);
  }

  /** Removes a folder begun and not committed. */
  void abandon(Path partial) {
    deleteTree(partial);
    release(partial);
  }

  private static void release(Path partial) {
    var lock = WRITING.remove(partial);
    try {
      if (lock != null) {
        lock.channel().close();
      }
      Files.deleteIfExists(lockOf(partial));
    } catch (IOException e) {
      // A lock file left behind is swept with its folder's name.
    }
  }

  /**
   * Removes what runs killed while writing a backup left: a {@code .partial-} folder whose lock no
   * process holds. A folder another process writes now keeps its lock, and stays. What was removed.
   */
  public List<String> sweep() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var swept = new ArrayList<String>();
    List<Path> partials;
    try (Stream<Path> folders = Files.list(dir)) {
      partials = folders
          .filter(p -> p.getFileName().toString().startsWith(".partial-") && Files.isDirectory(p))
          .toList();
    }
    for (var partial : partials) {
      if (WRITING.containsKey(partial)) {
        continue;
      }
      try (var channel =
          FileChannel.open(lockOf(partial), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        var lock = channel.tryLock();
        if (lock == null) {
          continue; // being written
        }
        deleteTree(partial);
        swept.add(partial.getFileName().toString());
      }
      Files.deleteIfExists(lockOf(partial));
    }
    return swept;
  }

  /** Every listed backup, newest first; folders without a readable manifest are not backups. */
  public List<BackupManifest> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var out = new ArrayList<BackupManifest>();
    try (Stream<Path> folders = Files.list(dir)) {
      for (var folder : folders
          .filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList()) {
        read(folder).ifPresent(out::add);
      }
    }
    out.sort(NEWEST_FIRST);
    return out;
  }

  public List<BackupManifest> list(String project, String environment) throws IOException {
    return list().stream()
        .filter(m -> m.project().equals(project) && m.environment().equals(environment))
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

  /** Deletes a backup; false when it could not be (it is still listed, whole). */
  boolean delete(BackupManifest manifest) {
    // Hidden first, so a crash midway leaves no listed, half-deleted backup.
    var hidden = dir.resolve(".deleting-" + manifest.id());
    try {
      Files.move(dir.resolve(manifest.id()), hidden, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return false;
    }
    deleteTree(hidden);
    return true;
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
