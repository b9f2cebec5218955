package dev.reconcile.traffic;

import dev.reconcile.host.CommandLine;
import dev.reconcile.host.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's access log on its front door's host, read with the host's own tail (so a server's log
 * never crosses the connection whole), and kept small by rotation.
 */
public final class AccessLog {
  /** A log past this is rotated: the old one kept as FILE.1, so at most twice this per site. */
  public static final long MAX_BYTES = 50L << 20;
  /** How much of the log's end is read for a summary: tens of thousands of requests. */
  static final long TAIL_BYTES = 8L << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
    var name = file.getFileName().toString();
    if (!host.list(file.getParent()).contains(name)) {
      return 0;
    }
    var said = host.run(CommandLine.of("stat", "-c", "%s", file.toString()), TIMEOUT);
    if (!said.succeeded()) {
      return 0;
    }
    try {
      return Long.parseLong(said.output().strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The requests at its end (its last {@link #TAIL_BYTES}). */
  public List<Request> recent() throws IOException {
    return read(CommandLine.of("tail", "-c", String.valueOf(TAIL_BYTES), file.toString()));
  }

  /** The requests written after the first {@code offset} bytes (all of it after a rotation). */
  public List<Request> after(long offset) throws IOException {
    return read(CommandLine.of("tail", "-c", "+" + (offset + 1), file.toString()));
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

  private List<Request> read(CommandLine command) throws IOException {
    if (size() == 0) {
      return List.of();
    }
    var out = new ArrayList<Request>();
    try (var pipe = host.open(command);
        var reader = new BufferedReader(new InputStreamReader(pipe.in(), StandardCharsets.UTF_8))) {
      pipe.out().close();
      for (String line; (line = reader.readLine()) != null; ) {
        Request.parse(line).ifPresent(out::add);
      }
    }
    return out;
  }
}
