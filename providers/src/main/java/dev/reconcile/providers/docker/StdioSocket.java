package dev.reconcile.providers.docker;

import dev.reconcile.host.CommandLine;
import dev.reconcile.host.Host;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Docker engine of a remote host, as a unix socket on this machine: each connection to it is
 * carried to the engine by {@code docker system dial-stdio} run on the host (as the docker CLI
 * does for {@code ssh://} hosts), so docker-java talks to it with its ordinary transport, and the
 * engine's socket is never opened to the network. The socket lives in a folder only this user
 * can enter.
 */
final class StdioSocket implements AutoCloseable {
  static final CommandLine DIAL = CommandLine.of("docker", "system", "dial-stdio");

  private final Host host;
  private final Path dir;
  private final ServerSocketChannel server;
  /** Connections being carried now, closed with the socket so none outlives it. */
  private final Set<SocketChannel> carried = ConcurrentHashMap.newKeySet();

  private StdioSocket(Host host, Path dir, ServerSocketChannel server) {
    this.host = host;
    this.dir = dir;
    this.server = server;
  }

  static StdioSocket open(Host host) throws IOException {
    var dir = Files.createTempDirectory(
        "rc-docker-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("docker.sock")));
    var socket = new StdioSocket(host, dir, server);
    Thread.ofPlatform().daemon().name("docker over ssh to " + host.name()).start(socket::accept);
    return socket;
  }

  /** The endpoint docker-java connects to. */
  String endpoint() {
    return "unix://" + dir.resolve("docker.sock");
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        var connection = server.accept();
        Thread.ofPlatform()
            .daemon()
            .name("docker over ssh to " + host.name())
            .start(() -> carry(connection));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Copies bytes both ways until either side ends, then closes both. */
  private void carry(SocketChannel connection) {
    carried.add(connection);
    try (connection;
        var pipe = host.open(DIAL)) {
      var up = Thread.ofPlatform()
          .daemon()
          .start(() -> copy(Channels.newInputStream(connection), pipe.out(), true));
      copy(pipe.in(), Channels.newOutputStream(connection), false);
      connection.shutdownOutput();
      up.join(Duration.ofSeconds(5));
    } catch (IOException e) {
      // The client sees its connection close and reports the call as failed.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      carried.remove(connection);
    }
  }

  private static void copy(InputStream in, OutputStream out, boolean closeOut) {
    var buffer = new byte[16 * 1024];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side went away
    } finally {
      if (closeOut) {
        try {
          out.close();
        } catch (IOException e) {
          // already gone
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      for (var connection : carried) {
        connection.close();
      }
      Files.deleteIfExists(dir.resolve("docker.sock"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover socket in a private temp folder harms nobody
    }
  }
}
