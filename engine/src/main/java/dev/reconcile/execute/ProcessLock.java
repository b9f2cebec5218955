package dev.reconcile.execute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A lock exclusive between processes and shared by the threads of one: the first thread in takes
 * the OS lock on the file ({@code flock}, released by the OS however the process ends), the last
 * one out lets it go. For work that threads of one apply may do side by side but two applies may
 * not interleave: picking a port and starting the container that publishes it.
 */
final class ProcessLock {
  private static final Map<Path, ProcessLock> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private int holders;
  private @Nullable FileChannel channel;
  private java.nio.channels.@Nullable FileLock os;

  private ProcessLock(Path file) {
    this.file = file;
  }

  static ProcessLock of(Path file) {
    return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), ProcessLock::new);
  }

  /** Enters; the handle leaves. Waits while another process holds it. */
  synchronized FileLock.Held enter() {
    if (holders == 0) {
      try {
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        os = channel.lock();
      } catch (IOException e) {
        closeQuietly();
        throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
      }
    }
    holders++;
    var left = new AtomicBoolean();
    return () -> {
      if (left.compareAndSet(false, true)) {
        leave();
      }
    };
  }

  private synchronized void leave() {
    if (--holders == 0) {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    try {
      if (os != null) {
        os.release();
      }
    } catch (IOException e) {
      // Closing the channel releases it anyway.
    }
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // Nothing left to do.
    }
    os = null;
    channel = null;
  }
}
