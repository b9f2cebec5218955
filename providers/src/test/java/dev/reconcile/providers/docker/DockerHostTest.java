package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DockerHostTest {
  private static long callThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("docker-call-"))
        .filter(Thread::isAlive)
        .count();
  }

  @Test
  @Timeout(60)
  void anEngineThatNeverAnswers_holdsAtMostABoundedNumberOfThreads_andIsAskedAgainOnceItAnswers(
      @TempDir Path dir) throws Exception {
    var socket = dir.resolve("silent.sock");
    var held = new CopyOnWriteArrayList<SocketChannel>();
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      var acceptor = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            held.add(server.accept());
          }
        } catch (java.io.IOException e) {
          // Closed.
        }
      });
      var host =
          DockerHost.connect("local", "unix://" + socket, Duration.ofMillis(200), http -> http);
      var before = callThreads();

      var fastFailures = 0;
      for (int i = 0; i < 40; i++) {
        try {
          host.bounded(() -> host.client().pingCmd().exec());
        } catch (java.io.UncheckedIOException e) {
          if (e.getMessage().contains("still unanswered")) {
            fastFailures++;
          }
        }
      }
      assertThat(fastFailures)
          .as("calls not made while 8 hang")
          .isEqualTo(40 - DockerHost.MOST_UNANSWERED);
      assertThat(callThreads() - before)
          .as("threads a hung engine holds")
          .isLessThanOrEqualTo(DockerHost.MOST_UNANSWERED);

      // The engine goes: the hung calls end, and it is asked again (and fails on its own terms).
      server.close();
      for (var channel : held) {
        channel.close();
      }
      acceptor.join();
      var until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Exception last = null;
      while (System.nanoTime() < until) {
        try {
          host.bounded(() -> host.client().pingCmd().exec());
        } catch (RuntimeException e) {
          last = e;
          if (!String.valueOf(e.getMessage()).contains("still unanswered")) {
            break;
          }
        }
        Thread.sleep(50);
      }
      assertThat(last).isNotNull();
      assertThat(last.getMessage()).doesNotContain("still unanswered");
      host.close();
    }
  }
}
