package dev.reconcile.providers.ssh;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostContract;
import dev.reconcile.testing.TestSshd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A server over SSH keeps the same host contract as this machine, against a real sshd. */
class SshHostIT extends HostContract {
  private static TestSshd sshd;
  private static Host host;
  private final Path scratch = Path.of("/tmp", "rc-ssh-scratch-" + UUID.randomUUID());

  @BeforeAll
  static void startSshd() throws Exception {
    sshd = TestSshd.start();
    host = new SshHostConnector().connect(sshd.host("web-2"), Path.of("."));
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (host != null) {
      host.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @BeforeEach
  void makeScratch() throws IOException {
    host.createDirectories(scratch);
  }

  @AfterEach
  void removeScratch() throws IOException {
    host.deleteTree(scratch);
  }

  @Override
  protected Host host() {
    return host;
  }

  @Override
  protected Path scratch() {
    return scratch;
  }

  @Override
  protected ServerSocket listenOnHost() throws IOException {
    // The "remote" host is this machine: a loopback listener here is one there.
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }
}
