package dev.reconcile.providers.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow host: a UNIX socket in front of this machine's Docker engine that carries every byte,
 * but at most {@code bytesPerSecond} each way, and can be cut (every open connection closed at
 * once, as a dropped network would). docker-java connects to {@link #endpoint()}.
 */
final class SlowLink implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final Path engine;
  private final int bytesPerSecond;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final AtomicLong fromEngine = new AtomicLong();
  private final Path socket;

  SlowLink(Path socket, Path engine, int bytesPerSecond) throws IOException {
    this.socket = socket;
    this.engine = engine;
    this.bytesPerSecond = bytesPerSecond;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofPlatform().daemon().name("slow-link-accept").start(this::accept);
  }

  String endpoint() {
    return "unix://" + socket;
  }

  /** Bytes carried from the engine to the client so far. */
  long fromEngine() {
    return fromEngine.get();
  }

  /** Closes every connection open now; new ones are carried as before. */
  void cut() {
    for (var channel : open) {
      try {
        channel.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
    open.clear();
  }

  private void accept() {
    try {
      while (true) {
        var client = server.accept();
        var upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
        open.add(client);
        open.add(upstream);
        Thread.ofPlatform().daemon().start(() -> pump(client, upstream, new AtomicLong()));
        Thread.ofPlatform().daemon().start(() -> pump(upstream, client, fromEngine));
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  /** Copies one way in chunks, each followed by the time it takes at the link's rate. */
  private void pump(SocketChannel from, SocketChannel to, AtomicLong counter) {
    var buffer = ByteBuffer.allocate(CHUNK);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        var n = buffer.remaining();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        counter.addAndGet(n);
        buffer.clear();
        Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
      }
    } catch (IOException | InterruptedException e) {
      // Cut or closed: the other side sees it.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
