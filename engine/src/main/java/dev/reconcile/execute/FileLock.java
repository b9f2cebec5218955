package dev.reconcile.execute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock held across processes and threads: an OS lock on a file ({@code flock}), which the OS
 * releases when the holder dies, kill -9 included, so there is no stale lock to take over; and a
 * lock within this process, since the OS lock is held per process, not per thread. Waits until
 * it is free: what it guards takes a moment (an nginx reload, picking a port and starting a
 * container).
 */
final class FileLock {
  /**
   * One in-process lock per file, shared by every FileLock of this JVM: two channels of one JVM
   * may not both lock a file (the second throws), so threads take turns here first.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock local;

  FileLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.local = LOCAL.computeIfAbsent(this.file, f -> new ReentrantLock());
  }

  /** Holds the lock until the returned handle is closed. */
  Held hold() {
    local.lock();
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

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
