package dev.reconcile.cli;

import dev.reconcile.probe.HttpProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** Requests through nginx, one after another on loopback, until stopped: what users would send. */
final class LoadLoop {
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  private LoadLoop(int port, String host, String path, java.util.Optional<HttpProbe.Tls> tls) {
    thread = Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        var answer = HttpProbe.get("127.0.0.1", port, path, host, Duration.ofSeconds(5), tls);
        if (answer.status() != 200) {
          failures.add(answer.describe());
        } else {
          answers.add(answer.body().strip());
        }
      }
    });
  }

  static LoadLoop start(int port, String host) {
    return start(port, host, "/");
  }

  static LoadLoop start(int port, String host, String path) {
    return new LoadLoop(port, host, path, java.util.Optional.empty());
  }

  /** Over HTTPS, each request a new connection and handshake, the certificate checked. */
  static LoadLoop overTls(int port, String host, javax.net.ssl.X509TrustManager trust) {
    return new LoadLoop(
        port,
        host,
        "/",
        java.util.Optional.of(new HttpProbe.Tls(host, java.util.Optional.of(trust))));
  }

  void stop() throws InterruptedException {
    stop.set(true);
    thread.join();
  }

  /** Waits (at most 30 s) until the loop has had an answer containing {@code text}. */
  void awaitAnswer(String text) throws InterruptedException {
    var until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (answers.stream().noneMatch(a -> a.contains(text)) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
  }

  /** Waits (at most 30 s) for {@code count} more answers: traffic after what a test did. */
  void awaitMoreAnswers(int count) throws InterruptedException {
    var after = answers.size() + count;
    var until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (answers.size() < after && System.nanoTime() < until) {
      Thread.sleep(10);
    }
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  List<String> answers() {
    return List.copyOf(answers);
  }
}
