package dev.reconcile.audit;

import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code STATE/audit.log}: one JSON object per line, appended and synced. Rotated by size: the
 * full file becomes {@code audit.log.1} (older ones move up, the oldest of {@code keep} goes),
 * so the log never fills the disk. Appends from several processes interleave whole lines
 * (O_APPEND, one write per line).
 */
public final class AuditLog implements Events {
  public static final long DEFAULT_MAX_BYTES = 10L << 20;
  public static final int DEFAULT_KEEP = 5;

  private final StateHome home;
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final Consumer<String> warnings;

  public AuditLog(Path stateDir) {
    this(new StateHome.Local(stateDir));
  }

  public AuditLog(StateHome home) {
    this(home, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
  }

  public AuditLog(Path stateDir, long maxBytes, int keep) {
    this(new StateHome.Local(stateDir), maxBytes, keep);
  }

  public AuditLog(StateHome home, long maxBytes, int keep) {
    this(home, maxBytes, keep, System.err::println);
  }

  /** @param warnings hears that the log could not be written (whoever the run is for) */
  public AuditLog(StateHome home, Consumer<String> warnings) {
    this(home, DEFAULT_MAX_BYTES, DEFAULT_KEEP, warnings);
  }

  private AuditLog(StateHome home, long maxBytes, int keep, Consumer<String> warnings) {
    this.home = home;
    this.file = home.dir().resolve("audit.log");
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.warnings = warnings;
  }

  private static final String BY = System.getProperty("user.name", "unknown") + "@" + machine();

  private static String machine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void record(Event event) {
    try {
      // Who did it: several machines write one log when the state lives on a server.
      home.append(file, event.toJson().put("by", BY).toString(), maxBytes, keep);
    } catch (IOException e) {
      // The audit log is a record, not a gate: a full disk must not fail what already happened.
      warnings.accept(
          "reconcile: warning: cannot append to " + home.describe(file) + ": " + e.getMessage());
    }
  }
}
