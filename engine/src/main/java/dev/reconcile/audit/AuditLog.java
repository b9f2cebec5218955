package dev.reconcile.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code STATE/audit.log}: one JSON object per line, appended and synced. Rotated by size: the
 * full file becomes {@code audit.log.1} (older ones move up, the oldest of {@code keep} goes),
 * so the log never fills the disk. Appends from several processes interleave whole lines
 * (O_APPEND, one write per line).
 */
public final class AuditLog implements Events {
  public static final long DEFAULT_MAX_BYTES = 10L << 20;
  public static final int DEFAULT_KEEP = 5;

  private final Path file;
  private final long maxBytes;
  private final int keep;

  public AuditLog(Path stateDir) {
    this(stateDir, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
  }

  public AuditLog(Path stateDir, long maxBytes, int keep) {
    this.file = stateDir.resolve("audit.log");
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void record(Event event) {
    try {
      Files.createDirectories(file.getParent());
      rotateIfFull();
      var bytes = (event.line() + "\n").getBytes(StandardCharsets.UTF_8);
      try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(false);
      }
    } catch (IOException e) {
      // The audit log is a record, not a gate: a full disk must not fail what already happened.
      System.err.println("reconcile: warning: cannot append to " + file + ": " + e.getMessage());
    }
  }

  private void rotateIfFull() throws IOException {
    if (!Files.exists(file) || Files.size(file) < maxBytes) {
      return;
    }
    Files.deleteIfExists(rotated(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(rotated(i))) {
        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }
}
