package dev.reconcile.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lock of one project environment: {@code STATE/locks/PROJECT.ENV.lock}, JSON with holder,
 * pid, host, start and heartbeat. Created with CREATE_NEW, so two processes cannot both hold it.
 */
public final class EnvironmentLock implements AutoCloseable {
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Holder self;
  private final Clock clock;

  /** Who holds a lock. */
  /** @param started and {@code heartbeat} are ISO-8601 instants */
  public record Holder(String user, String host, long pid, String started, String heartbeat) {
    Instant lastBeat() {
      return Instant.parse(heartbeat);
    }

    public String describe() {
      return user + "@" + host + " (pid " + pid + ", since " + started + ", last heartbeat " + heartbeat + ")";
    }
  }

  /** The outcome of trying to take a lock. */
  public sealed interface Attempt {
    /** @param tookOver the stale holder this replaced, if any: worth a warning */
    record Acquired(EnvironmentLock lock, Optional<Holder> tookOver) implements Attempt {}

    record Held(String environment, Holder holder, Path file) implements Attempt {}
  }

  private EnvironmentLock(Path file, Holder self, Clock clock) {
    this.file = file;
    this.self = self;
    this.clock = clock;
  }

  public static Path fileFor(Path stateDir, String environmentKey) {
    return stateDir.resolve("locks").resolve(environmentKey.replace('/', '.') + ".lock");
  }

  public static Attempt acquire(Path stateDir, String environmentKey, Clock clock, Duration staleAfter) {
    var file = fileFor(stateDir, environmentKey);
    var now = clock.instant();
    var self = new Holder(System.getProperty("user.name", "unknown"), hostName(),
        ProcessHandle.current().pid(), now.toString(), now.toString());
    try {
      Files.createDirectories(file.getParent());
      Optional<Holder> tookOver = Optional.empty();
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          Files.writeString(file, JSON.writeValueAsString(self), java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE);
          return new Attempt.Acquired(new EnvironmentLock(file, self, clock), tookOver);
        } catch (FileAlreadyExistsException e) {
          var holder = read(file);
          if (holder.isPresent() && !isStale(holder.get(), now, staleAfter)) {
            return new Attempt.Held(environmentKey, holder.get(), file);
          }
          tookOver = holder;
          Files.deleteIfExists(file);
        }
      }
      return new Attempt.Held(environmentKey, read(file).orElse(self), file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** A holder is stale when its process is gone (same host) or its heartbeat is too old. */
  static boolean isStale(Holder holder, Instant now, Duration staleAfter) {
    if (holder.host().equals(hostName()) && ProcessHandle.of(holder.pid()).map(p -> !p.isAlive()).orElse(true)) {
      return true;
    }
    return holder.lastBeat().plus(staleAfter).isBefore(now);
  }

  /** Refreshes the heartbeat: the holder calls this while it works. */
  public void heartbeat() {
    try {
      var temp = file.resolveSibling(file.getFileName() + ".tmp");
      var beat = new Holder(self.user(), self.host(), self.pid(), self.started(), clock.instant().toString());
      Files.writeString(temp, JSON.writeValueAsString(beat));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // A missed heartbeat only brings the takeover closer; the next one may succeed.
    }
  }

  /** Removes the lock file if it is still this process's. */
  @Override
  public void close() {
    try {
      var holder = read(file);
      if (holder.isPresent() && holder.get().pid() == self.pid() && holder.get().host().equals(self.host())) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // Left behind, it is taken over as stale: its process is gone.
    }
  }

  /** Removes a lock whoever holds it ({@code reconcile unlock}); empty when there was none. */
  public static Optional<Holder> forceRelease(Path stateDir, String environmentKey) throws IOException {
    var file = fileFor(stateDir, environmentKey);
    var holder = read(file);
    Files.deleteIfExists(file);
    return holder;
  }

  private static Optional<Holder> read(Path file) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(file), Holder.class));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException | java.time.format.DateTimeParseException e) {
      // Unreadable: treated as no holder, so the lock is taken over (with a warning).
      return Optional.empty();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
