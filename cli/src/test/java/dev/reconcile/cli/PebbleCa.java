package dev.reconcile.cli;

import dev.reconcile.testing.TestPorts;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real ACME CA on loopback for one test class: Debian's pebble, with pebble-challtestsrv as its
 * DNS (every name is 127.0.0.1, so the CA fetches HTTP-01 answers from the test's nginx). Its
 * HTTPS certificate comes from a CA made here with openssl; {@link #bundle} holds that CA and the
 * root pebble issues from, for {@code platform.tls.acme.ca_bundle} and for curl.
 */
final class PebbleCa implements AutoCloseable {
  final Path dir;
  final int port = TestPorts.reserve();
  final int management = TestPorts.reserve();
  final int dns = TestPorts.reserveUdpAndTcp();
  final int dnsManagement = TestPorts.reserve();
  final Path bundle;
  private final List<Process> processes = new ArrayList<>();

  /** @param httpPort where the CA fetches challenge answers: the test's nginx */
  PebbleCa(Path dir, int httpPort) throws Exception {
    // This class makes the test process's first HttpClient; probes later must name their site.
    dev.reconcile.util.HostHeader.allow();
    this.dir = dir;
    Files.createDirectories(dir);
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=reconcile test minica");
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext");
    Files.writeString(dir.resolve("pebble.json"), """
        {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
          "ocspResponderURL": "", "externalAccountBindingRequired": false}}
        """.formatted(
            port,
            management,
            dir.resolve("server.pem"),
            dir.resolve("server.key"),
            httpPort,
            TestPorts.reserve()));
    start(
        List.of(
            "pebble-challtestsrv",
            "-defaultIPv4",
            "127.0.0.1",
            "-defaultIPv6",
            "",
            "-dns01",
            "127.0.0.1:" + dns,
            "-http01",
            "",
            "-https01",
            "",
            "-tlsalpn01",
            "",
            "-management",
            "127.0.0.1:" + dnsManagement),
        "challtestsrv.log");
    awaitListening(dnsManagement);
    var pebble = new ProcessBuilder(
        "pebble",
        "-config",
        dir.resolve("pebble.json").toString(),
        "-dnsserver",
        "127.0.0.1:" + dns);
    // No random nonce rejections or sleeps: a test is deterministic; authorizations never reused.
    pebble.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pebble.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    pebble.environment().put("PEBBLE_AUTHZREUSE", "0");
    start(pebble, "pebble.log");
    awaitListening(port);
    awaitListening(management);
    bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(dir.resolve("ca.pem")) + root());
  }

  String directory() {
    return "https://127.0.0.1:" + port + "/dir";
  }

  /** The PEM of the root pebble issues under (made anew at each start), from its management API. */
  private String root() throws Exception {
    try (var client = HttpClient.newBuilder()
        .sslContext(TlsTrust.context(Optional.of(dir.resolve("ca.pem"))))
        .build()) {
      var response = client.send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + management + "/roots/0"))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("pebble's root: HTTP " + response.statusCode());
      }
      return response.body();
    }
  }

  /** Makes the CA's DNS answer {@code address} for {@code host} (e.g. one where nothing listens). */
  void pointAt(String host, String address) throws Exception {
    try (var client = HttpClient.newHttpClient()) {
      var response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dnsManagement + "/add-a"))
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"host\":\"" + host + ".\",\"addresses\":[\"" + address + "\"]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "challtestsrv add-a: HTTP " + response.statusCode() + " " + response.body());
      }
    }
  }

  private void openssl(String... args) throws Exception {
    var argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    var process = new ProcessBuilder(argv)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    var output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + ": " + output);
    }
  }

  private void start(List<String> argv, String log) throws IOException {
    start(new ProcessBuilder(argv), log);
  }

  private void start(ProcessBuilder builder, String log) throws IOException {
    processes.add(builder
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start());
  }

  /** Until the port accepts a connection (at most 30 s), or the process died. */
  private void awaitListening(int port) throws Exception {
    var until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (processes.stream().anyMatch(p -> !p.isAlive()) || System.nanoTime() > until) {
          throw new IOException("pebble did not listen on " + port + "; see " + dir, e);
        }
        Thread.sleep(20);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (var process : processes) {
      process.destroy();
    }
    for (var process : processes) {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
