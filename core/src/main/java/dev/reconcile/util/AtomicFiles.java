package dev.reconcile.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one way the tool writes a file others read: a temp file in the same directory, written in
 * full and fsynced, renamed over the target, then the directory fsynced. A reader sees the old
 * content or the new, never a torn or empty file, even after a crash or on a full disk (the write
 * fails and the old file stays).
 */
public final class AtomicFiles {
  /** Readable by the owner only: for files that hold secrets or keys. */
  public static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  /**
   * A test seam for the full-disk matrix: writes of files whose name contains this text fail as a
   * full disk would, after the temp file is made. Read only when set.
   */
  private static final String FULL_DISK = System.getenv("RECONCILE_TEST_FULL_DISK");

  private AtomicFiles() {}

  private static void faultInjected(Path target) throws IOException {
    if (FULL_DISK != null && target.getFileName().toString().contains(FULL_DISK)) {
      throw new IOException(target + ": No space left on device");
    }
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8), null);
  }

  /** @param permissions see {@link #write}; null keeps the process's default */
  public static void writeString(
      Path target, String text, @Nullable Set<PosixFilePermission> permissions) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8), permissions);
  }

  /**
   * @param permissions set on the temp file before anything is written to it; null keeps the
   *     process's default
   */
  public static void write(
      Path target, byte[] bytes, @Nullable Set<PosixFilePermission> permissions)
      throws IOException {
    publish(target, bytes, permissions, temp -> {
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
      return true;
    });
  }

  /**
   * Creates {@code target} with the bytes, in full, unless it exists: of two processes creating it
   * at once, exactly one wins and both then read the winner's file. False when it existed.
   */
  public static boolean createIfAbsent(
      Path target, byte[] bytes, @Nullable Set<PosixFilePermission> permissions)
      throws IOException {
    return publish(target, bytes, permissions, temp -> {
      try {
        Files.createLink(target, temp); // fails when target exists, unlike a rename
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    });
  }

  /**
   * The folder a file is in: its path's parent, or its absolute path's for a bare name.
   *
   * @throws IllegalArgumentException for a root, which is in no folder
   */
  public static Path parentOf(Path file) {
    var parent =
        file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException(file + " is a root, not a file in a folder");
    }
    return parent;
  }

  /** Puts a complete temp file in place, replacing the target or not; true when it did. */
  private interface Publish {
    boolean from(Path temp) throws IOException;
  }

  /** Writes the bytes to a temp file beside the target and fsyncs it, publishes it, syncs the dir. */
  private static boolean publish(
      Path target, byte[] bytes, @Nullable Set<PosixFilePermission> permissions, Publish publish)
      throws IOException {
    var dir = parentOf(target);
    Files.createDirectories(dir);
    var temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      if (permissions != null) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      faultInjected(target);
      try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      var published = publish.from(temp);
      if (published) {
        syncDirectory(dir);
      }
      return published;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes a rename or delete in {@code dir} durable: without it a crash may undo the rename. */
  public static void syncDirectory(Path dir) {
    try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or sync a directory; the rename itself was atomic.
    }
  }
}
