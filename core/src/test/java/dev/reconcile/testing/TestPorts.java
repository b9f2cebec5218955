package dev.reconcile.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test servers (nginx, sshd, pebble, webhook catchers) that are started after
 * the port is chosen. A port comes from a range of the tests' own, {@value #FIRST}-{@value #LAST}:
 * below {@code platform.ports} (20000-29999, the slots the tool publishes), below the engine's
 * swarm range (30000-32767) and below the kernel's ephemeral range (32768-60999 here), from which
 * {@code bind(0)}, every outgoing connection and the engine's own port picks are served. So nothing
 * but another test can be handed one of these ports, and tests keep each other off a port by a
 * lock file per port, held until the test JVM exits (the kernel drops it however the JVM dies).
 */
public final class TestPorts {
  static final int FIRST = 10000;
  static final int LAST = 16999;
  private static final Path LOCKS =
      Path.of(System.getProperty("java.io.tmpdir"), "reconcile-test-ports");
  // The locks this JVM holds, by port: kept reachable, so none is released before the JVM exits.
  // A held port's file is never opened again here: closing any descriptor of a file drops every
  // POSIX lock the process holds on it.
  private static final Map<Integer, FileLock> HELD = new HashMap<>();

  private TestPorts() {}

  /** A TCP port on 127.0.0.1, free now and reserved for this JVM. */
  public static int reserve() {
    return reserveIn(FIRST, LAST, false);
  }

  /** A port free for both UDP and TCP on 127.0.0.1 (a DNS server listens on both). */
  public static int reserveUdpAndTcp() {
    return reserveIn(FIRST, LAST, true);
  }

  static synchronized int reserveIn(int first, int last, boolean udpToo) {
    checkOutsideEphemeralRange();
    try {
      Files.createDirectories(LOCKS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the test port locks' folder " + LOCKS, e);
    }
    // A random start: JVMs starting together mostly try different ports first.
    var size = last - first + 1;
    var start = ThreadLocalRandom.current().nextInt(size);
    for (var i = 0; i < size; i++) {
      var port = first + (start + i) % size;
      if (HELD.containsKey(port)) {
        continue;
      }
      var lock = lock(port);
      if (lock == null) {
        continue;
      }
      if (bindable(port, udpToo)) {
        HELD.put(port, lock);
        return port;
      }
      release(lock);
    }
    throw new IllegalStateException("no free test port in " + first + "-" + last
        + " (every one is listened on or reserved by another test JVM; see " + LOCKS + ")");
  }

  /** The port's lock, or null when another JVM holds it. */
  private static FileLock lock(int port) {
    try {
      var channel = FileChannel.open(
          LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      var lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + LOCKS.resolve(port + ".lock"), e);
    }
  }

  private static void release(FileLock lock) {
    try {
      lock.channel().close();
    } catch (IOException e) {
      // Closing drops the lock; a failure to close leaves it held until exit, which is harmless.
    }
  }

  private static boolean bindable(int port, boolean udpToo) {
    var loopback = InetAddress.getLoopbackAddress();
    try (var tcp = new ServerSocket(port, 1, loopback)) {
      if (udpToo) {
        try (var udp = new DatagramSocket(port, loopback)) {
          return true;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A machine whose ephemeral range reaches into ours would bring the collision back: say so. */
  private static void checkOutsideEphemeralRange() {
    var bounds = ephemeralRange();
    if (bounds.length == 2 && bounds[0] <= LAST && bounds[1] >= FIRST) {
      throw new IllegalStateException(
          "the kernel's ephemeral port range " + bounds[0] + "-" + bounds[1]
              + " overlaps the test servers' range " + FIRST + "-" + LAST + ": set "
              + "net.ipv4.ip_local_port_range outside it");
    }
  }

  /** The kernel's ephemeral range, or nothing when it cannot be read (not Linux). */
  private static int[] ephemeralRange() {
    try {
      var bounds = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
          .strip()
          .split("\\s+");
      return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    } catch (IOException | RuntimeException e) {
      return new int[0];
    }
  }
}
