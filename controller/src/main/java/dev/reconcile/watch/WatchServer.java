package dev.reconcile.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The controller's HTTP endpoint, on loopback unless told otherwise: {@code /healthz} (200 while
 * the worker runs), {@code /metrics} (Prometheus text format) and {@code /status} (JSON: every
 * project environment and where it stands). GET only; nothing here changes anything.
 */
public final class WatchServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  private WatchServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code address}; port 0 picks a free one (see {@link #port}). */
  public static WatchServer start(
      InetSocketAddress address, Controller controller, WatchMetrics metrics) throws IOException {
    var server = HttpServer.create(address, 16);
    // A context matches every path it prefixes: /statusXYZ and / are not endpoints.
    server.createContext(
        "/",
        exchange -> send(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found; the endpoints are /healthz, /metrics and /status\n"));
    server.createContext("/healthz", exchange -> {
      if (unknown(exchange, "/healthz")) {
        return;
      }
      var problem = controller.unhealthy();
      send(
          exchange,
          problem.isEmpty() ? 200 : 503,
          "text/plain; charset=utf-8",
          problem.orElse("ok") + "\n");
    });
    server.createContext("/metrics", exchange -> {
      if (unknown(exchange, "/metrics")) {
        return;
      }
      metrics.queue(controller.queue().depth());
      var out = new ByteArrayOutputStream();
      metrics.write(out);
      send(exchange, 200, metrics.contentType(), out.toString(StandardCharsets.UTF_8));
    });
    server.createContext("/status", exchange -> {
      if (unknown(exchange, "/status")) {
        return;
      }
      var root = JSON.createObjectNode();
      root.put("queue_depth", controller.queue().depth())
          .put("delayed", controller.queue().delayed());
      var environments = root.putArray("environments");
      for (var s : controller.status()) {
        var o = environments
            .addObject()
            .put("environment", s.key())
            .put("state", s.state())
            .put("drift", s.drift())
            .put("pending", s.pending())
            .put("last_run", s.lastRun())
            .put("failures", s.failures());
        s.lastSerial()
            .ifPresentOrElse(n -> o.put("last_serial", n), () -> o.putNull("last_serial"));
        s.lastApplied()
            .ifPresentOrElse(t -> o.put("last_applied", t), () -> o.putNull("last_applied"));
        s.error().ifPresent(e -> o.put("error", e));
      }
      send(
          exchange,
          200,
          "application/json",
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return new WatchServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Answers 404 for a path the endpoint's context merely prefixes. */
  private static boolean unknown(HttpExchange exchange, String endpoint) throws IOException {
    if (exchange.getRequestURI().getPath().equals(endpoint)) {
      return false;
    }
    send(
        exchange,
        404,
        "text/plain; charset=utf-8",
        "not found; the endpoints are /healthz, /metrics and /status\n");
    return true;
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      var bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.sendResponseHeaders(
          status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
      if (!exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
