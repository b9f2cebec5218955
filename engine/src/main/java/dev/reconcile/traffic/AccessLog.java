package dev.reconcile.traffic;

import dev.reconcile.host.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's access log on its front door's host, read from an offset through the host seam (so a
 * server's log never crosses the connection whole, and no process is started per read), and kept
 * small by rotation.
 */
public final class AccessLog {
  /** A log past this is rotated: the old one kept as FILE.1, so at most twice this per site. */
  public static final long MAX_BYTES = 50L << 20;
  /** How much of the log's end is read for a summary: tens of thousands of requests. */
  static final long TAIL_BYTES = 8L << 20;

  private final Host host;
  private final Path file;

  public AccessLog(Host host, Path file) {
    this.host = host;
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Its size in bytes; 0 when there is none yet. */
  public long size() throws IOException {
    return host.size(file).orElse(0);
  }

  /** The requests at its end (its last {@link #TAIL_BYTES}). */
  public List<Request> recent() throws IOException {
    var size = size();
    var from = Math.max(0, size - TAIL_BYTES);
    return read(from, size, from > 0);
  }

  /** The requests written after the first {@code offset} bytes (all of it after a rotation). */
  public List<Request> after(long offset) throws IOException {
    var size = size();
    return read(offset > size ? 0 : offset, size, false);
  }

  /**
   * Moves a log past {@link #MAX_BYTES} to FILE.1 (the one before goes); the caller then has
   * nginx reopen its logs. True when it did.
   */
  public boolean rotateIfLarge() throws IOException {
    if (size() <= MAX_BYTES) {
      return false;
    }
    var previous = file.resolveSibling(file.getFileName() + ".1");
    host.delete(previous);
    host.rename(file, previous);
    return true;
  }

  /**
   * The requests from {@code from} up to {@code size}; the first line skipped when the read began
   * inside it. Bounded by the size taken before: under load the log grows while it is read, and
   * over SSH faster than it can be read, so a read to its end never ended.
   */
  private List<Request> read(long from, long size, boolean skipFirst) throws IOException {
    if (size == 0 || from >= size) {
      return List.of();
    }
    var out = new ArrayList<Request>();
    try (var reader = new BufferedReader(
        new InputStreamReader(host.download(file, from, size - from), StandardCharsets.UTF_8))) {
      if (skipFirst) {
        reader.readLine();
      }
      for (String line; (line = reader.readLine()) != null; ) {
        Request.parse(line).ifPresent(out::add);
      }
    } catch (NoSuchFileException e) {
      return List.of(); // rotated away between the size and the read
    }
    return out;
  }
}
