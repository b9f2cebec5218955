package dev.reconcile.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPOutputStream;

/**
 * A read-only image registry on loopback (the distribution API's pull half), serving images of
 * the local engine: no registry is reachable from here, and the Docker engine pulls from
 * 127.0.0.0/8 over plain HTTP. It asks for basic auth, as private registries do.
 */
final class TestRegistry implements AutoCloseable {
  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The engine tries TLS first; a ClientHello has no line end, so the server would wait for
    // one until the engine's 10 s handshake timeout. Reading a request may take 1 s at most.
    System.setProperty("sun.net.httpserver.maxReqTime", "1");
  }

  private final HttpServer server;
  private final String authorization;
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();

  private TestRegistry(String user, String password) throws IOException {
    authorization = "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  static TestRegistry start(String user, String password) throws IOException {
    return new TestRegistry(user, password);
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests turned away for want of the right credentials. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** Serves a local image as {@code name:tag}: its config and layers as they are, gzipped. */
  void add(String name, String tag, String localImage, Path scratch) throws Exception {
    var dir = Files.createTempDirectory(scratch, "save");
    run("sh", "-c", "docker save '" + localImage + "' | tar -x -C '" + dir + "'");
    var entry = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
    var config = Files.readAllBytes(dir.resolve(entry.get("Config").asText()));
    var manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE);
    manifest.set(
        "config", descriptor("application/vnd.docker.container.image.v1+json", store(config)));
    var layers = manifest.putArray("layers");
    for (var layer : entry.get("Layers")) {
      var gzipped = gzip(Files.readAllBytes(dir.resolve(layer.asText())));
      layers.add(descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", store(gzipped)));
    }
    var bytes = JSON.writeValueAsBytes(manifest);
    manifests.put(name + ":" + tag, bytes);
    manifests.put(name + ":" + digest(bytes), bytes);
  }

  private com.fasterxml.jackson.databind.node.ObjectNode descriptor(String type, String digest) {
    return JSON.createObjectNode()
        .put("mediaType", type)
        .put("size", blobs.get(digest).length)
        .put("digest", digest);
  }

  private String store(byte[] bytes) {
    var digest = digest(bytes);
    blobs.put(digest, bytes);
    return digest;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test registry\"");
        reply(exchange, 401, "application/json", error("UNAUTHORIZED", "authentication required"));
        return;
      }
      var path = exchange.getRequestURI().getPath().substring("/v2/".length());
      if (path.isEmpty()) {
        reply(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      var manifest = path.indexOf("/manifests/");
      var blob = path.indexOf("/blobs/");
      if (manifest > 0) {
        var key =
            path.substring(0, manifest) + ":" + path.substring(manifest + "/manifests/".length());
        var bytes = manifests.get(key);
        if (bytes == null) {
          reply(exchange, 404, "application/json", error("MANIFEST_UNKNOWN", "manifest unknown"));
          return;
        }
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest(bytes));
        reply(exchange, 200, MANIFEST_TYPE, bytes);
      } else if (blob > 0) {
        var bytes = blobs.get(path.substring(blob + "/blobs/".length()));
        reply(
            exchange,
            bytes == null ? 404 : 200,
            "application/octet-stream",
            bytes == null ? error("BLOB_UNKNOWN", "blob unknown") : bytes);
      } else {
        reply(exchange, 404, "application/json", error("NAME_UNKNOWN", "not served here"));
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
    var head = exchange.getRequestMethod().equals("HEAD");
    exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] error(String code, String message) {
    return ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
