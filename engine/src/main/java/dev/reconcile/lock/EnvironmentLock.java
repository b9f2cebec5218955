package dev.reconcile.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The lock of one project environment: an OS lock on {@code STATE/locks/PROJECT.ENV.lock}, which
 * the OS releases when its process ends however it ends (kill -9, a crash, a reboot). So there is
 * no stale lock to detect or take over, and two processes can never both hold it. The file holds
 * who holds it (JSON: user, host, pid, start, heartbeat) for messages only; it is never deleted,
 * since a lock on a file that another process is about to delete would lock nothing.
 */
public final class EnvironmentLock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The lock files this JVM holds. The OS lock is the process's, and closing any channel of the
   * file releases it (POSIX record locks): so a file held here is never opened again by this JVM
   * (another thread asking, a test in the same JVM) until it is released: not even to read it.
   */
  private static final Map<Path, Holder> HELD_HERE = new java.util.concurrent.ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Holder self;
  private final Clock clock;

  /** Who holds a lock. */
  /** @param started and {@code heartbeat} are ISO-8601 instants */
  public record Holder(String user, String host, long pid, String started, String heartbeat, String command) {
    public Holder {
      command = command == null ? "" : command; // files of earlier versions do not say
    }

    public String describe() {
      return user + "@" + host + (command.isEmpty() ? "" : ", running reconcile " + command) + " (pid " + pid
          + ", since " + started + ", last heartbeat " + heartbeat + ")";
    }
  }

  /** The outcome of trying to take a lock. */
  public sealed interface Attempt {
    /**
     * @param tookOver who held it last without releasing it (its process died): worth a warning,
     *     since that apply may have left things half done
     */
    record Acquired(EnvironmentLock lock, Optional<Holder> tookOver) implements Attempt {}

    /** @param holder who holds it, when the file says so */
    record Held(String environment, Optional<Holder> holder, Path file) implements Attempt {}
  }

  private EnvironmentLock(Path file, FileChannel channel, FileLock lock, Holder self, Clock clock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.self = self;
    this.clock = clock;
  }

  public static Path fileFor(Path stateDir, String environmentKey) {
    return stateDir.resolve("locks").resolve(environmentKey.replace('/', '.') + ".lock");
  }

  public static Attempt acquire(Path stateDir, String environmentKey, Clock clock) {
    return acquire(stateDir, environmentKey, clock, "");
  }

  /** @param command what the holder runs, for messages: {@code apply}, {@code rollback}, {@code backup run} */
  public static Attempt acquire(Path stateDir, String environmentKey, Clock clock, String command) {
    var file = fileFor(stateDir, environmentKey);
    var now = clock.instant().toString();
    var self = new Holder(System.getProperty("user.name", "unknown"), hostName(),
        ProcessHandle.current().pid(), now, now, command);
    var key = file.toAbsolutePath().normalize();
    var here = HELD_HERE.putIfAbsent(key, self);
    if (here != null) {
      return new Attempt.Held(environmentKey, Optional.of(here), file);
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      var lock = tryLock(channel);
      if (lock == null) {
        var holder = read(channel);
        channel.close();
        HELD_HERE.remove(key);
        return new Attempt.Held(environmentKey, holder, file);
      }
      var previous = read(channel);
      var acquired = new EnvironmentLock(file, channel, lock, self, clock);
      acquired.write(self);
      return new Attempt.Acquired(acquired, previous);
    } catch (IOException e) {
      closeQuietly(channel);
      HELD_HERE.remove(key);
      throw new UncheckedIOException("cannot take the lock " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether another process (or thread) holds the lock now; changes nothing, not even the holder
   * a dead process left in the file.
   */
  public static boolean isHeld(Path stateDir, String environmentKey) {
    return isHeld(fileFor(stateDir, environmentKey));
  }

  /** Whether another process (or thread) holds the lock in this file now. */
  public static boolean isHeld(Path file) {
    if (HELD_HERE.containsKey(file.toAbsolutePath().normalize())) {
      return true;
    }
    if (!Files.exists(file)) {
      return false;
    }
    try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      var lock = tryLock(channel);
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Null when another process holds it, or another thread of this one. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** Refreshes the heartbeat, so a message about a holder shows it is alive and working. */
  public void heartbeat() {
    try {
      write(new Holder(self.user(), self.host(), self.pid(), self.started(), clock.instant().toString(),
          self.command()));
    } catch (IOException e) {
      // The lock holds without it; only the message about the holder gets older.
    }
  }

  private void write(Holder holder) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(holder)), 0);
    channel.force(false);
  }

  /** Empties the holder and releases the lock. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock in any case.
    } finally {
      closeQuietly(channel);
      HELD_HERE.remove(file.toAbsolutePath().normalize());
    }
  }


  /** What {@code reconcile unlock} found and did. */
  public sealed interface Release {
    /** Nobody held it; a holder left in the file by a dead process was cleared. */
    record Free(Optional<Holder> cleared) implements Release {}

    /** A running process holds it: only stopping that process releases it. */
    record InUse(Optional<Holder> holder) implements Release {}
  }

  /** Clears a lock that no running process holds. */
  public static Release release(Path stateDir, String environmentKey) throws IOException {
    var file = fileFor(stateDir, environmentKey);
    if (!Files.exists(file)) {
      return new Release.Free(Optional.empty());
    }
    var here = HELD_HERE.get(file.toAbsolutePath().normalize());
    if (here != null) {
      return new Release.InUse(Optional.of(here));
    }
    try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      var lock = tryLock(channel);
      var holder = read(channel);
      if (lock == null) {
        return new Release.InUse(holder);
      }
      channel.truncate(0);
      lock.release();
      return new Release.Free(holder);
    }
  }

  /** The holder the file names; empty when it is empty or unreadable (read defensively). */
  private static Optional<Holder> read(FileChannel channel) {
    try {
      var size = (int) Math.min(channel.size(), 64 * 1024);
      if (size == 0) {
        return Optional.empty();
      }
      var buffer = ByteBuffer.allocate(size);
      channel.read(buffer, 0);
      return Optional.of(JSON.readValue(new String(buffer.array(), 0, buffer.position(),
          StandardCharsets.UTF_8), Holder.class));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing more to release.
      }
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
