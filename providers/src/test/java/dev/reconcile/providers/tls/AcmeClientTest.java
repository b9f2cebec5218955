package dev.reconcile.providers.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.host.LocalHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACME client against a fake CA ({@link FakeCa}) and a fake front door (an HTTP server that
 * serves what the client publishes, as nginx's challenge snippet does): one order for every
 * domain, answers checked through the front door before the CA is told to look, the answers
 * withdrawn whatever happens, and each way a CA says no told apart. (The real CA: pebble, in the
 * CLI's HTTPS tests.)
 */
class AcmeClientTest {
  @TempDir
  Path dir;

  private final Map<String, String> served = new ConcurrentHashMap<>();
  private final List<Map<String, String>> published = new CopyOnWriteArrayList<>();
  private volatile boolean doorServes = true;
  private HttpServer door;
  private FakeCa ca;
  private FrontDoor frontDoor;

  @BeforeEach
  void start() throws Exception {
    door = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    door.createContext(FrontDoor.CHALLENGE_PATH, exchange -> {
      try (exchange) {
        var token = exchange.getRequestURI().getPath().substring(FrontDoor.CHALLENGE_PATH.length());
        var answer = served.get(token);
        if (answer == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        var bytes = answer.getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    door.start();
    ca = new FakeCa(door.getAddress());
    frontDoor = new FrontDoor(
        new LocalHost("local"),
        new NginxSettings.Managed("127.0.0.1", door.getAddress().getPort()),
        dir.resolve("state"),
        dir.resolve("sites"));
  }

  @AfterEach
  void stop() {
    ca.close();
    door.stop(0);
  }

  private AcmeClient client(String directory) {
    return new AcmeClient(
        frontDoor,
        new DesiredCertificate.Source.Acme(
            directory, Optional.of("ops@example.test"), Optional.empty()),
        (door, answers) -> {
          published.add(Map.copyOf(answers));
          served.clear();
          if (doorServes) {
            served.putAll(answers);
          }
        },
        Duration.ofMillis(500));
  }

  @Test
  void oneOrderForEveryDomain_answeredThroughTheFrontDoor_givesTheChain_andWithdrawsTheAnswers()
      throws Exception {
    var material = client(ca.directory()).obtain(List.of("shop.test", "www.shop.test"));

    assertThat(material.chain()).hasSize(2);
    X509Certificate leaf = material.chain().getFirst();
    leaf.verify(ca.caCertificate().getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactly((Object) "shop.test", "www.shop.test");
    var signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(material.key());
    signer.update(new byte[] {1, 2, 3});
    var signature = signer.sign();
    var verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).as("the key is the certificate's").isTrue();
    assertThat(ca.asked.stream().filter("POST /order"::equals)).as("orders").hasSize(1);
    assertThat(published).hasSize(2);
    assertThat(published.getFirst()).hasSize(2);
    assertThat(published.getLast()).as("withdrawn after").isEmpty();

    var account = dir.resolve("state/acme/account.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(account)))
        .isEqualTo("rw-------");
    var key = Files.readString(account);
    client(ca.directory()).obtain(List.of("shop.test"));
    assertThat(Files.readString(account)).as("the account key is kept").isEqualTo(key);
  }

  @Test
  void aValidationTheCaRefuses_isRefusedInItsOwnWords_beforeAnyFinalize() {
    ca.refuseValidation = true;

    assertThatThrownBy(() -> client(ca.directory()).obtain(List.of("shop.test")))
        .isInstanceOf(AcmeClient.Refused.class)
        .hasMessageContaining("the CA could not validate shop.test: "
            + "urn:ietf:params:acme:error:unauthorized: the answer at shop.test was");
    assertThat(ca.asked).noneMatch(a -> a.startsWith("POST /finalize/"));
    assertThat(published.getLast()).as("withdrawn after").isEmpty();
  }

  @Test
  void aRateLimit_isRefused_sayingWhenToTryAgain_andNothingIsPublished() {
    ca.rateLimited = true;

    assertThatThrownBy(() -> client(ca.directory()).obtain(List.of("shop.test")))
        .isInstanceOf(AcmeClient.Refused.class)
        .hasMessageContaining("the CA's rate limit")
        .hasMessageContaining("retry after")
        .satisfies(
            e -> assertThat(((AcmeClient.Refused) e).fault().hint()).contains("renew_before"));
    assertThat(published).isEmpty();
  }

  @Test
  void aFrontDoorThatDoesNotServeTheAnswer_failsBeforeTheCaIsToldToLook() {
    doorServes = false;

    assertThatThrownBy(() -> client(ca.directory()).obtain(List.of("shop.test")))
        .isInstanceOf(ProviderException.Terminal.class)
        .hasMessageContaining("does not serve the CA's challenge for shop.test")
        .hasMessageContaining("gave HTTP 404");
    assertThat(ca.asked)
        .as("a failed validation counts against the CA's limits: never triggered")
        .noneMatch(a -> a.startsWith("POST /challenge/"));
    assertThat(published.getLast()).as("withdrawn after").isEmpty();
  }

  @Test
  void aCaThatCannotBeReached_isTransient_andNamesTheDirectory() {
    // Port 1 (tcpmux) has nothing listening on this machine: the connection is refused.
    assertThatThrownBy(() -> client("http://127.0.0.1:1/directory").obtain(List.of("shop.test")))
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessage("cannot reach the CA: the connection was refused or the address is unreachable")
        .satisfies(e -> assertThat(((ProviderException) e).where())
            .isEqualTo("the CA at http://127.0.0.1:1/directory"));
    assertThat(published).isEmpty();
  }
}
