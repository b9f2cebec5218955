package dev.reconcile.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** What the capability contracts ask of a container or task they started: its HTTP answer. */
final class Answers {
  private Answers() {}

  /**
   * The status of {@code GET http://ADDRESS/}, waited for (bounded: what answers is starting, or
   * the engine's routing is settling).
   */
  static int statusAt(String address) throws Exception {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var until = Instant.now().plusSeconds(30);
    while (true) {
      try {
        return client
            .send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (IOException e) {
        if (Instant.now().isAfter(until)) {
          throw e;
        }
        Thread.sleep(50); // polling a starting process, bounded above
      }
    }
  }
}
