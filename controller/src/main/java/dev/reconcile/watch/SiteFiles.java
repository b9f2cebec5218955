package dev.reconcile.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The site files as they were when the controller last finished a key: a file event that leaves a
 * file as it was then is the echo of the tool's own write, not an edit (inotify delivers it after
 * the work that caused it ended).
 */
final class SiteFiles {
  static final SiteFiles NONE = new SiteFiles(null);

  private final @Nullable Path dir;
  private final Map<String, String> settled = new ConcurrentHashMap<>();

  SiteFiles(@Nullable Path dir) {
    this.dir = dir;
  }

  /** Takes every site file's content as it is now as the settled one. */
  void settle() {
    if (dir == null) {
      return;
    }
    settled.clear();
    try (var files = Files.list(dir)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".conf"))
          .forEach(f -> digest(f).ifPresent(d -> settled.put(f.getFileName().toString(), d)));
    } catch (IOException | UncheckedIOException e) {
      // Nothing settled: every event counts, as before.
    }
  }

  /** Whether the file differs from its settled content (or appeared, or went). */
  boolean changed(String name) {
    if (dir == null) {
      return true;
    }
    var now = digest(dir.resolve(name));
    return !now.equals(Optional.ofNullable(settled.get(name)));
  }

  private static Optional<String> digest(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 4 * 1024 * 1024) {
        return Optional.empty();
      }
      return Optional.of(HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    } catch (IOException | NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }
}
