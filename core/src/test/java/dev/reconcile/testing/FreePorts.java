package dev.reconcile.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for test servers, checked free: the kernel hands out a port no one listens on.
 * Ephemeral ports are outside platform.ports (20000-29999), so a test's nginx never collides with
 * the slots the tool allocates.
 */
public final class FreePorts {
  private FreePorts() {}

  public static int loopback() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** A loopback port free for both UDP and TCP (a DNS server listens on both). */
  public static int loopbackUdpAndTcp() {
    for (var attempt = 0; attempt < 50; attempt++) {
      try (var udp = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
          var tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
        return udp.getLocalPort();
      } catch (IOException e) {
        // Taken for TCP: try another.
      }
    }
    throw new UncheckedIOException(new IOException("no loopback port free for UDP and TCP in 50 tries"));
  }
}
