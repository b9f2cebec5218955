package dev.reconcile.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsTrustTest {
  @Test
  void none_letsAClientSpeakPlainHttp_andRefusesTls() throws Exception {
    // Port 0: the kernel picks a free one.
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      var body = "plain".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try (var client = HttpClient.newBuilder().sslContext(TlsTrust.none()).build()) {
      var base = "127.0.0.1:" + server.getAddress().getPort() + "/";
      var plain = client.send(
          HttpRequest.newBuilder(URI.create("http://" + base)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(plain.body()).isEqualTo("plain");

      assertThatThrownBy(() -> client.send(
              HttpRequest.newBuilder(URI.create("https://" + base)).build(),
              HttpResponse.BodyHandlers.ofString()))
          .hasStackTraceContaining("plain HTTP only");
    } finally {
      server.stop(0);
    }
  }
}
