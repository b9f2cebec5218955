package dev.reconcile.providers.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * An RFC 8555 CA small enough to read: one account, orders of HTTP-01 challenges that it
 * validates as a CA does (it fetches each answer from the front door and compares), and
 * certificates signed by a key of its own. JWS signatures are not checked: what is tested is the
 * client's side of the conversation. It can be told to refuse a validation or to rate-limit
 * orders, and it records what it was asked.
 */
final class FakeCa implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String base;
  private final KeyPair caKey;
  private final X509Certificate caCertificate;
  private final AtomicInteger counter = new AtomicInteger();
  private final Map<String, ObjectNode> authorizations = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> orders = new ConcurrentHashMap<>();
  private final Map<String, String> certificates = new ConcurrentHashMap<>();
  /** Method and path of every request, in order. */
  final List<String> asked = new CopyOnWriteArrayList<>();
  /** Where the CA fetches answers: the front door's HTTP address. */
  private final InetSocketAddress door;

  /** Orders are answered with 429 and a rateLimited problem. */
  volatile boolean rateLimited;
  /** Validations fail however the answer reads. */
  volatile boolean refuseValidation;

  FakeCa(InetSocketAddress door) throws Exception {
    this.door = door;
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    caKey = generator.generateKeyPair();
    caCertificate = sign(
        new X500Name("CN=reconcile fake CA"), caKey.getPublic(), List.of(), new BigInteger("1"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/", this::handle);
    server.start();
  }

  String directory() {
    return base + "/directory";
  }

  X509Certificate caCertificate() {
    return caCertificate;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      var path = exchange.getRequestURI().getPath();
      asked.add(exchange.getRequestMethod() + " " + path);
      exchange.getResponseHeaders().add("Replay-Nonce", "nonce" + counter.incrementAndGet());
      exchange.getResponseHeaders().add("Cache-Control", "no-store");
      if (path.equals("/directory")) {
        var directory = JSON.createObjectNode()
            .put("newNonce", base + "/nonce")
            .put("newAccount", base + "/account")
            .put("newOrder", base + "/order")
            .put("revokeCert", base + "/revoke")
            .put("keyChange", base + "/key-change");
        json(exchange, 200, directory);
        return;
      }
      if (path.equals("/nonce")) {
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      var payload = payload(exchange);
      if (path.equals("/account")) {
        exchange.getResponseHeaders().add("Location", base + "/account/1");
        json(exchange, 201, JSON.createObjectNode().put("status", "valid"));
      } else if (path.equals("/order")) {
        newOrder(exchange, payload);
      } else if (path.startsWith("/authz/")) {
        json(exchange, 200, authorization(path));
      } else if (path.startsWith("/challenge/")) {
        var authz = authorization(path.replace("/challenge/", "/authz/"));
        if (payload.isObject()) { // {} triggers; POST-as-GET (no payload) only reads
          validate(authz);
        }
        exchange
            .getResponseHeaders()
            .add("Link", "<" + base + authz.get("self").asText() + ">;rel=\"up\"");
        json(exchange, 200, authz.get("challenges").get(0));
      } else if (path.startsWith("/order/")) {
        json(exchange, 200, order(path));
      } else if (path.startsWith("/finalize/")) {
        finalize(exchange, path.replace("/finalize/", "/order/"), payload);
      } else if (path.startsWith("/certificate/")) {
        var chain = certificates.get(path);
        var bytes = chain.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().add("Content-Type", "application/pem-certificate-chain");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      } else {
        problem(exchange, 404, "malformed", "no such resource " + path);
      }
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** The JWS payload, decoded: {} or an object for a request, missing for POST-as-GET. */
  private static JsonNode payload(HttpExchange exchange) throws IOException {
    var body = exchange.getRequestBody().readAllBytes();
    if (body.length == 0) {
      return JSON.missingNode();
    }
    var payload = JSON.readTree(body).path("payload").asText("");
    return payload.isEmpty()
        ? JSON.missingNode()
        : JSON.readTree(Base64.getUrlDecoder().decode(payload));
  }

  private void newOrder(HttpExchange exchange, JsonNode payload) throws IOException {
    if (rateLimited) {
      exchange.getResponseHeaders().add("Retry-After", "3600");
      problem(exchange, 429, "rateLimited", "too many certificates already issued for this name");
      return;
    }
    var id = counter.incrementAndGet();
    var order = JSON.createObjectNode().put("status", "pending");
    order.set("identifiers", payload.get("identifiers"));
    var links = order.putArray("authorizations");
    for (var identifier : payload.get("identifiers")) {
      var n = counter.incrementAndGet();
      var authz = JSON.createObjectNode().put("status", "pending").put("self", "/authz/" + n);
      authz.set("identifier", identifier);
      authz
          .putArray("challenges")
          .addObject()
          .put("type", "http-01")
          .put("url", base + "/challenge/" + n)
          .put("token", "token" + n + "_" + Long.toHexString(System.nanoTime()))
          .put("status", "pending");
      authorizations.put("/authz/" + n, authz);
      links.add(base + "/authz/" + n);
    }
    order.put("finalize", base + "/finalize/" + id);
    orders.put("/order/" + id, order);
    exchange.getResponseHeaders().add("Location", base + "/order/" + id);
    json(exchange, 201, order);
  }

  private ObjectNode authorization(String path) {
    return authorizations.get(path);
  }

  /** The order, its status following its authorizations as a CA's does. */
  private ObjectNode order(String path) {
    var order = orders.get(path);
    if (order.get("status").asText().equals("pending")) {
      var statuses = new ArrayList<String>();
      for (var link : order.get("authorizations")) {
        statuses.add(authorizations
            .get(link.asText().substring(base.length()))
            .get("status")
            .asText());
      }
      if (statuses.contains("invalid")) {
        order.put("status", "invalid");
      } else if (statuses.stream().allMatch("valid"::equals)) {
        order.put("status", "ready");
      }
    }
    return order;
  }

  /** Fetches the answer through the front door, as a CA does, naming the domain in Host. */
  private void validate(ObjectNode authz) throws Exception {
    var challenge = (ObjectNode) authz.get("challenges").get(0);
    var token = challenge.get("token").asText();
    var domain = authz.get("identifier").get("value").asText();
    String got;
    try (var client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
      var response = client.send(
          HttpRequest.newBuilder(URI.create("http://" + door.getHostString() + ":" + door.getPort()
                  + "/.well-known/acme-challenge/" + token))
              .header("Host", domain)
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      got =
          response.statusCode() == 200 ? response.body().strip() : "HTTP " + response.statusCode();
    }
    if (refuseValidation || !got.startsWith(token + ".")) {
      challenge.put("status", "invalid");
      challenge
          .putObject("error")
          .put("type", "urn:ietf:params:acme:error:unauthorized")
          .put("detail", "the answer at " + domain + " was '" + got + "'");
      authz.put("status", "invalid");
    } else {
      challenge.put("status", "valid");
      authz.put("status", "valid");
    }
  }

  private void finalize(HttpExchange exchange, String orderPath, JsonNode payload)
      throws Exception {
    var order = order(orderPath);
    var csr = new JcaPKCS10CertificationRequest(
        Base64.getUrlDecoder().decode(payload.get("csr").asText()));
    var names = new ArrayList<String>();
    order.get("identifiers").forEach(i -> names.add(i.get("value").asText()));
    var leaf = sign(
        new X500Name("CN=" + names.getFirst()),
        csr.getPublicKey(),
        names,
        BigInteger.valueOf(counter.incrementAndGet()));
    var path = "/certificate/" + counter.incrementAndGet();
    certificates.put(path, pem(leaf) + pem(caCertificate));
    order.put("status", "valid").put("certificate", base + path);
    json(exchange, 200, order);
  }

  private X509Certificate sign(
      X500Name subject, PublicKey key, List<String> names, BigInteger serial) throws Exception {
    var now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(
        caCertificate == null
            ? subject
            : new X500Name(caCertificate.getSubjectX500Principal().getName()),
        serial,
        Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofDays(90))),
        subject,
        key);
    if (!names.isEmpty()) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.stream()
              .map(n -> new GeneralName(GeneralName.dNSName, n))
              .toArray(GeneralName[]::new)));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(
            new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    var bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void problem(HttpExchange exchange, int status, String type, String detail)
      throws IOException {
    var bytes = JSON.writeValueAsBytes(JSON.createObjectNode()
        .put("type", "urn:ietf:params:acme:error:" + type)
        .put("detail", detail));
    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
