package dev.reconcile.providers.host;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** This machine keeps the host contract. */
class LocalHostTest extends HostContract {
  private final Host host = new LocalHost("local");

  @TempDir
  Path dir;

  @Override
  protected Host host() {
    return host;
  }

  @Override
  protected Path scratch() {
    return dir;
  }

  @Override
  protected ServerSocket listenOnHost() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }
}
