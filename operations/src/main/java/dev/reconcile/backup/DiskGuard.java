package dev.reconcile.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a backup from filling the disk its store is on (the disk the state, and often the
 * databases, live on): refused before it starts when the last backup of the environment would
 * not fit, and stopped while it is written when the free space falls to the reserve. A volume's
 * compressed size is unknown until it is written, so the check while writing is the one that
 * holds; the estimate only spares starting what cannot end.
 */
final class DiskGuard {
  static final long DEFAULT_RESERVE = 256L << 20;
  static final long DEFAULT_EVERY = 16L << 20;

  private final Path dir;
  private final long reserve;
  private final long every;

  /**
   * @param reserve bytes that stay free
   * @param every bytes written between two looks at the free space
   */
  DiskGuard(Path dir, long reserve, long every) {
    this.dir = dir;
    this.reserve = reserve;
    this.every = every;
  }

  /** Null when {@code estimate} bytes fit above the reserve; else why not. */
  @Nullable
  String wontFit(long estimate) throws IOException {
    var free = free();
    if (free - estimate >= reserve) {
      return null;
    }
    return "the disk holding " + dir + " has " + mib(free) + " free; the backup needs about "
        + mib(estimate) + " (the size of the last one) and " + mib(reserve) + " stay free";
  }

  /** Passes writes through, failing once the free space falls to the reserve. */
  OutputStream watch(OutputStream out) {
    return new FilterOutputStream(out) {
      private long sinceLook;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sinceLook += len;
        if (sinceLook >= every) {
          sinceLook = 0;
          var free = free();
          if (free < reserve) {
            throw new IOException("stopped: the disk holding " + dir + " has " + mib(free)
                + " free, and " + mib(reserve) + " stay free; make room or prune old backups");
          }
        }
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }
    };
  }

  private long free() throws IOException {
    var place = dir;
    while (place != null && !Files.exists(place)) {
      place = place.getParent();
    }
    return Files.getFileStore(place == null ? Path.of(".") : place).getUsableSpace();
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
