package dev.reconcile.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTest {
  @TempDir
  Path state;

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  private static Event event(String summary) {
    return new Event(
        "2026-11-30T10:00:00Z",
        "apply",
        "shop/production",
        "applied",
        summary,
        Map.of("serial", "3"));
  }

  /** A webhook receiver on a port the OS picks; answers each request with the next status. */
  private URI receiver(int... statuses) throws Exception {
    var calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook/T0KEN", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      var status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/T0KEN");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theLog_appendsOneJsonLinePerEvent_andRotatesWhenFull() throws Exception {
    var log = new AuditLog(state, 400, 2);
    for (int i = 0; i < 12; i++) {
      log.record(event("deploy " + i));
    }

    var lines = Files.readAllLines(log.file());
    assertThat(lines).allMatch(l -> l.startsWith("{\"time\":"));
    assertThat(lines.getLast()).contains("deploy 11");
    try (var files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("audit.log", "audit.log.1", "audit.log.2");
    }
  }

  @Test
  void aWebhookThatFailsTwice_getsTheEventOnTheThirdTry() throws Exception {
    var hook = new Webhook(
        receiver(500, 503, 200),
        Webhook.Format.SLACK,
        e -> true,
        Duration.ofSeconds(5),
        List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)));

    hook.record(event("v2 is live"));
    hook.flush(Duration.ofSeconds(30));

    assertThat(bodies)
        .hasSize(3)
        .allMatch(b -> b.equals(
            "{\"text\":\":white_check_mark: reconcile apply " + "shop/production: v2 is live\"}"));
  }

  @Test
  void aWebhookThatRefuses_isNotRetried_andTheJsonFormatIsTheEvent() throws Exception {
    var hook = new Webhook(
        receiver(404),
        Webhook.Format.JSON,
        e -> true,
        Duration.ofSeconds(5),
        List.of(Duration.ofMillis(10), Duration.ofMillis(10)));

    hook.record(event("v2 is live"));
    hook.flush(Duration.ofSeconds(30));

    assertThat(bodies)
        .singleElement()
        .asString()
        .contains("\"type\":\"apply\"", "\"fields\":{\"serial\":\"3\"}");
  }

  @Test
  void aWebhookThatNeverAnswers_neverHoldsTheCallerLongerThanItsFlush() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    var release = new java.util.concurrent.CountDownLatch(1);
    server.createContext("/", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    var hook = new Webhook(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
        Webhook.Format.SLACK,
        e -> true,
        Duration.ofMillis(200),
        List.of());

    var start = System.nanoTime();
    hook.record(event("x"));
    var recorded = System.nanoTime();
    hook.flush(Duration.ofSeconds(10));
    release.countDown();

    assertThat(Duration.ofNanos(recorded - start))
        .as("recording never waits for the endpoint")
        .isLessThan(Duration.ofSeconds(2));
  }
}
