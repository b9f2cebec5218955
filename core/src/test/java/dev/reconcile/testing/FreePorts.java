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
}
