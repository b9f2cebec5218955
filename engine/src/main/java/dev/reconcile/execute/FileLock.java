package dev.reconcile.execute;

import dev.reconcile.host.HostFlock;
import dev.reconcile.host.StateHome;
import dev.reconcile.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A lock held across processes and threads: an OS lock on a file ({@code flock}), which the OS
 * releases when the holder dies, kill -9 included, so there is no stale lock to take over; and a
 * lock within this process, since the OS lock is held per process, not per thread. Waits until
 * it is free: what it guards takes a moment (an nginx reload, picking a port and starting a
 * container).
 *
 * <p>The lock of a server's front door is held on that server ({@link #onServer}), by flock run
 * over this run's connection: applies from two machines to one server take turns there too.
 */
final class FileLock {
  /**
   * One in-process lock per file, shared by every FileLock of this JVM: two channels of one JVM
   * may not both lock a file (the second throws), so threads take turns here first.
   */
  private static final ConcurrentHashMap<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  /** How long a server's front door may stay taken by another before giving up: an nginx -t and reload take seconds. */
  static final Duration SERVER_WAIT = Duration.ofMinutes(5);

  private final Path file;
  private final ReentrantLock local;
  /** Where the file is, as the run reaches it at each hold (connected anew after a drop); null for this machine. */
  private final StateHome.@Nullable HostRef server;

  private final String serverName;

  FileLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.server = null;
    this.serverName = "local";
    this.local = LOCAL.computeIfAbsent("local:" + this.file, f -> new ReentrantLock());
  }

  private FileLock(String serverName, StateHome.HostRef server, Path file) {
    this.file = file;
    this.server = server;
    this.serverName = serverName;
    this.local = LOCAL.computeIfAbsent(serverName + ":" + file, f -> new ReentrantLock());
  }

  /** A lock on a file of a server, held there for as long as this run's connection holds it. */
  static FileLock onServer(String serverName, StateHome.HostRef server, Path file) {
    return new FileLock(serverName, server, file);
  }

  /** Holds the lock until the returned handle is closed. */
  Held hold() {
    local.lock();
    if (server != null) {
      return holdOnServer();
    }
    try {
      Files.createDirectories(file.getParent());
      var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        var lock = channel.lock();
        return () -> {
          try (channel) {
            lock.release();
          } catch (IOException e) {
            // Closing the channel releases the lock anyway.
          } finally {
            local.unlock();
          }
        };
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      local.unlock();
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private Held holdOnServer() {
    try {
      var pipe = HostFlock.take(
          Checks.present(server, "the server of lock %s", file).get(),
          file,
          HostFlock.Mode.TAKE,
          SERVER_WAIT);
      if (pipe.isEmpty()) {
        throw new IOException(
            "another run has held it for " + SERVER_WAIT.toMinutes() + " minutes");
      }
      return () -> {
        try {
          HostFlock.release(pipe.get());
        } finally {
          local.unlock();
        }
      };
    } catch (IOException e) {
      local.unlock();
      throw new UncheckedIOException(
          "cannot lock " + file + " on " + serverName + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
