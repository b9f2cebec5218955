package dev.reconcile.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 GET with a chosen Host header, through the JDK's HttpClient (so chunked answers,
 * status lines and headers are read as HTTP says). Small answers only: health and smoke checks,
 * and the revision nginx serves. Each probe opens its own connection ({@code Connection: close}):
 * a kept-alive one could be closed under it by an nginx reload and count as a failure.
 */
public final class HttpProbe {
  private static final int MAX_BODY = 64 * 1024;

  static {
    allowHostHeader();
  }

  /**
   * Checks through nginx must name the site (Host); the JDK's client refuses both headers unless
   * told, and reads that once, when its first client is made in the process. So any code that
   * makes an HttpClient before a probe runs (the webhook) calls this first.
   */
  public static void allowHostHeader() {
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host,connection");
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** An answer, or why there was none. */
  public record Answer(int status, String body, String error) {
    public boolean answered() {
      return status > 0;
    }

    public String describe() {
      return answered() ? "HTTP " + status : error;
    }
  }

  private HttpProbe() {}

  /**
   * @param path a URL path with an optional query, as validation accepts it
   * @param hostHeader the Host to ask for: the site's domain through nginx
   */
  public static Answer get(String host, int port, String path, String hostHeader, Duration timeout) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(new URI("http", null, host, port, null, null, null).resolve(path))
          .timeout(timeout)
          .header("Host", hostHeader)
          .header("Connection", "close")
          .header("User-Agent", "reconcile")
          .GET().build();
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Validation lets no such path or host through; an answer, never an exception, all the same.
      return new Answer(0, "", "not a request reconcile sends: " + e.getMessage());
    }
    try {
      var response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        return new Answer(response.statusCode(), new String(body.readNBytes(MAX_BODY), StandardCharsets.UTF_8), "");
      }
    } catch (HttpConnectTimeoutException e) {
      return new Answer(0, "", "no connection within " + timeout.toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      return new Answer(0, "", "no answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return new Answer(0, "", "connection refused");
    } catch (IOException e) {
      return new Answer(0, "", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", "interrupted");
    }
  }
}
