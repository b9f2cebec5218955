package dev.reconcile.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes speak HTTP as the JDK's client does: chunked bodies, the site's Host, no keep-alive. */
class HttpProbeTest {
  private HttpServer server;
  private final AtomicReference<String> host = new AtomicReference<>();
  private final AtomicReference<String> connection = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      host.set(exchange.getRequestHeaders().getFirst("Host"));
      connection.set(exchange.getRequestHeaders().getFirst("Connection"));
      exchange.sendResponseHeaders(200, 0); // length 0: a chunked answer
      try (var out = exchange.getResponseBody()) {
        out.write("smoke: ".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("ok\n".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void get_chunkedAnswer_isReadWholeWithTheSitesHost() {
    var answer = HttpProbe.get(
        "127.0.0.1",
        server.getAddress().getPort(),
        "/api/smoke?deep=1",
        "shop.test",
        Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("smoke: ok\n");
    assertThat(host.get()).isEqualTo("shop.test");
    assertThat(connection.get()).isEqualTo("close");
  }

  @Test
  void get_nothingListening_isAnAnswerSayingSo() {
    var port = server.getAddress().getPort();
    server.stop(0);

    var answer = HttpProbe.get("127.0.0.1", port, "/health", "localhost", Duration.ofSeconds(5));

    assertThat(answer.answered()).isFalse();
    assertThat(answer.describe()).isEqualTo("connection refused");
  }

  @Test
  void get_pathThatIsNoUrlPath_isRefusedNotSent() {
    var answer = HttpProbe.get(
        "127.0.0.1",
        server.getAddress().getPort(),
        "/x HTTP/1.1\r\nHost: evil",
        "shop.test",
        Duration.ofSeconds(5));

    assertThat(answer.answered()).isFalse();
    assertThat(answer.describe()).startsWith("not a request reconcile sends");
    assertThat(host.get()).isNull();
  }

  @Test
  void shutdown_stopsTheClientsThreads_andALaterProbeStillWorks() throws Exception {
    HttpProbe.shutdown();
    var before = selectorThreads();
    HttpProbe.get(
        "127.0.0.1", server.getAddress().getPort(), "/", "shop.test", Duration.ofSeconds(5));
    assertThat(selectorThreads()).hasSizeGreaterThan(before.size());

    HttpProbe.shutdown();

    // A selector thread waiting in native code at System.exit holds the JVM up to 300 ms.
    assertThat(selectorThreads()).isSubsetOf(before);
    var again = HttpProbe.get(
        "127.0.0.1", server.getAddress().getPort(), "/", "shop.test", Duration.ofSeconds(5));
    assertThat(again.status()).isEqualTo(200);
  }

  private static java.util.Set<Thread> selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().endsWith("SelectorManager"))
        .collect(java.util.stream.Collectors.toSet());
  }
}
