package dev.reconcile.probe;

import dev.reconcile.util.HostHeader;
import dev.reconcile.util.TlsTrust;
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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

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

  /** See {@link dev.reconcile.util.HostHeader}. */
  public static void allowHostHeader() {
    HostHeader.allow();
  }

  private static @Nullable HttpClient plain;

  private static synchronized HttpClient plain() {
    if (plain == null) {
      plain = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .sslContext(TlsTrust.none()) // plain HTTP only: see TlsTrust.none
          .build();
    }
    return plain;
  }

  /**
   * Stops the clients' threads; a probe after this makes new ones. For a process about to exit:
   * each client's selector thread waits in native code (epoll), and HotSpot's exit waits up to
   * 300 ms for threads in native code to settle (-XX:UserThreadWaitAttemptsAtExit), which was
   * 40 % of a no-op plan (docs/benchmarks.md).
   */
  public static void shutdown() {
    List<HttpClient> clients = new ArrayList<>();
    synchronized (HttpProbe.class) {
      if (plain != null) {
        clients.add(plain);
      }
      plain = null;
      clients.addAll(TLS_CLIENTS.values());
      TLS_CLIENTS.clear();
    }
    clients.forEach(HttpClient::shutdownNow);
    try {
      for (var client : clients) {
        client.awaitTermination(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * HTTPS to an address (nginx on loopback, or a tunnel to it) for a named site: the domain goes
   * in SNI and Host, and the certificate must cover it.
   *
   * @param trust whom to trust; empty only to observe which certificate is served (no check)
   */
  public record Tls(String serverName, Optional<X509TrustManager> trust) {}

  private static final Map<String, HttpClient> TLS_CLIENTS = new ConcurrentHashMap<>();

  /** An answer, or why there was none. */
  public record Answer(
      int status, String body, String error, Optional<X509Certificate> certificate) {
    public Answer(int status, String body, String error) {
      this(status, body, error, Optional.empty());
    }

    public boolean answered() {
      return status > 0;
    }

    public String describe() {
      return answered() ? "HTTP " + status : error;
    }
  }

  private HttpProbe() {}

  private static Optional<X509Certificate> leaf(SSLSession session) {
    try {
      var chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? Optional.of(x)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /**
   * One client per site name and trust: the JDK's client sends the SNI its SSLParameters name
   * when the URI holds an address rather than a name, as every probe's does.
   */
  private static HttpClient client(Tls tls) {
    var key = tls.serverName() + "|" + tls.trust().map(System::identityHashCode).orElse(0);
    return TLS_CLIENTS.computeIfAbsent(key, k -> {
      var parameters = new SSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
      parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .sslContext(TlsTrust.context(new SiteTrust(tls.serverName(), tls.trust())))
          .sslParameters(parameters)
          .build();
    });
  }

  /**
   * @param path a URL path with an optional query, as validation accepts it
   * @param hostHeader the Host to ask for: the site's domain through nginx
   */
  public static Answer get(
      String host, int port, String path, String hostHeader, Duration timeout) {
    return get(host, port, path, hostHeader, timeout, Optional.empty());
  }

  /** Over HTTPS when {@code tls} is given. */
  public static Answer get(
      String host, int port, String path, String hostHeader, Duration timeout, Optional<Tls> tls) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(
              new URI(tls.isPresent() ? "https" : "http", null, host, port, null, null, null)
                  .resolve(path))
          .timeout(timeout)
          .header("Host", hostHeader)
          .header("Connection", "close")
          .header("User-Agent", "reconcile")
          .GET()
          .build();
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Validation lets no such path or host through; an answer, never an exception, all the same.
      return new Answer(0, "", "not a request reconcile sends: " + e.getMessage());
    }
    try {
      var client = tls.isPresent() ? client(tls.get()) : plain();
      var response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        var leaf = response.sslSession().flatMap(HttpProbe::leaf);
        return new Answer(
            response.statusCode(),
            new String(body.readNBytes(MAX_BODY), StandardCharsets.UTF_8),
            "",
            leaf);
      }
    } catch (HttpConnectTimeoutException e) {
      return new Answer(0, "", "no connection within " + timeout.toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      return new Answer(0, "", "no answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return new Answer(0, "", "connection refused");
    } catch (IOException e) {
      return new Answer(
          0,
          "",
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", "interrupted");
    }
  }
}
