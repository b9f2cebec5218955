package dev.reconcile.backup;

import dev.reconcile.history.BackupManifest;
import dev.reconcile.host.Host;
import dev.reconcile.util.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The off-site copies of backups (platform.backup_target): a folder on this machine or on a
 * server over SFTP, reached through the host seam either way. Laid out as the local store,
 * {@code DIR/ID/} with its files and {@code manifest.json}; each copy is built in a hidden
 * {@code .partial-} folder, the manifest last, and renamed into place, so a broken upload is
 * never taken for a backup.
 */
public final class OffSite {
  private final Host host;
  private final Path dir;
  private final String shown;

  /** @param shown how the target is named in messages, e.g. {@code sftp://backup@nas:22/srv} */
  public OffSite(Host host, Path dir, String shown) {
    this.host = host;
    this.dir = dir;
    this.shown = shown;
  }

  public String shown() {
    return shown;
  }

  /** Copies a backup of the local store here, unless a copy is here already. */
  void put(BackupStore local, BackupManifest manifest) throws IOException {
    if (find(manifest.id()).isPresent()) {
      return;
    }
    var partial = dir.resolve(
        ".partial-" + manifest.id() + "-" + UUID.randomUUID().toString().substring(0, 8));
    host.createPrivateDirectories(dir);
    host.createPrivateDirectories(partial);
    try {
      for (var artifact : manifest.artifacts()) {
        try (var in = Files.newInputStream(local.file(manifest, artifact))) {
          host.upload(partial.resolve(artifact.file()), in);
        }
      }
      host.upload(
          partial.resolve(BackupStore.MANIFEST),
          new ByteArrayInputStream(manifest.write().getBytes(StandardCharsets.UTF_8)));
      host.rename(partial, dir.resolve(manifest.id()));
    } catch (IOException e) {
      try {
        host.deleteTree(partial);
      } catch (IOException ignored) {
        // A hidden leftover is never listed; the copy's own failure is what is reported.
      }
      throw e;
    }
  }

  /** A backup's copy by id, read from its manifest; empty when there is none (or it is unreadable). */
  public Optional<BackupManifest> find(String id) throws IOException {
    if (!BackupStore.isId(id)) {
      return Optional.empty();
    }
    return host.read(dir.resolve(id).resolve(BackupStore.MANIFEST))
        .flatMap(BackupManifest::read)
        .filter(m -> m.id().equals(id));
  }

  /** Every copy here, newest first. */
  public List<BackupManifest> list() throws IOException {
    var out = new ArrayList<BackupManifest>();
    for (var name : host.list(dir)) {
      if (!name.startsWith(".")) {
        find(name).ifPresent(out::add);
      }
    }
    out.sort(BackupStore.NEWEST_FIRST);
    return out;
  }

  /** Checks the copy as {@link Backups#verify} checks a local one, reading every file once. */
  List<String> verify(BackupManifest manifest, boolean readArchives) {
    return Artifacts.check(
        manifest,
        artifact -> host.download(dir.resolve(manifest.id()).resolve(artifact.file())),
        readArchives);
  }

  /**
   * Brings a copy back into the local store: downloaded into a hidden folder, checked against its
   * manifest there, and only then made a listed backup.
   */
  void fetch(BackupManifest manifest, BackupStore local) throws IOException {
    var partial = local.begin(manifest.id());
    try {
      for (var artifact : manifest.artifacts()) {
        try (InputStream in = host.download(dir.resolve(manifest.id()).resolve(artifact.file()))) {
          var file = Files.createFile(
              partial.resolve(artifact.file()),
              PosixFilePermissions.asFileAttribute(AtomicFiles.PRIVATE));
          try (var out = Files.newOutputStream(file)) {
            in.transferTo(out);
          }
        }
      }
      var problems = Artifacts.check(
          manifest, artifact -> Files.newInputStream(partial.resolve(artifact.file())), false);
      if (!problems.isEmpty()) {
        throw new IOException(
            "the copy in " + shown + " is damaged: " + String.join("; ", problems));
      }
      local.commit(partial, manifest);
    } catch (IOException e) {
      local.abandon(partial);
      throw e;
    }
  }

  /** Deletes a copy: hidden first, so a crash midway leaves no listed half-copy. */
  void delete(BackupManifest manifest) throws IOException {
    var hidden = dir.resolve(".deleting-" + manifest.id());
    try {
      host.rename(dir.resolve(manifest.id()), hidden);
    } catch (NoSuchFileException e) {
      return;
    }
    host.deleteTree(hidden);
  }
}
