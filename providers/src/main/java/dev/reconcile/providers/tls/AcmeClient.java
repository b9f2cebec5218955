package dev.reconcile.providers.tls;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.nginx.Challenges;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.HostHeader;
import dev.reconcile.util.Texts;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * One order at an RFC 8555 CA through acme4j, for every domain of an environment at once (one
 * order, not one per name: the CA's rate limits count orders). HTTP-01 challenges are answered by
 * the front door: the answer is written to its challenge folder, checked through nginx as the CA
 * will fetch it, then the CA is told to look. The account key is made once per front door and
 * kept in its state directory, 0600.
 */
final class AcmeClient {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** How long nginx may take to serve the answers after its reload. */
  private static final Duration SELF_CHECK = Duration.ofSeconds(10);
  /** How long every answer must be right before the CA is told to look. */
  private static final Duration SETTLED = Duration.ofMillis(300);

  static {
    // Before acme4j makes the process's first HttpClient: the challenge self-check names the site.
    HostHeader.allow();
    // acme4j signs and builds CSRs through Bouncy Castle's provider, by name.
    if (Security.getProvider("BC") == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  /** Serves the answers through the front door for the CA to fetch: nginx's challenge snippet. */
  interface Answers {
    /** Serves exactly these answers (token to key authorization); none: serves no answer. */
    void publish(FrontDoor door, Map<String, String> answers) throws ProviderException;
  }

  private final FrontDoor door;
  private final DesiredCertificate.Source.Acme acme;
  private final Answers answers;
  private final Duration selfCheck;

  AcmeClient(FrontDoor door, DesiredCertificate.Source.Acme acme, Challenges challenges) {
    this(door, acme, challenges::publish, SELF_CHECK);
  }

  /** @param selfCheck how long the front door may take to serve the answers */
  AcmeClient(
      FrontDoor door, DesiredCertificate.Source.Acme acme, Answers answers, Duration selfCheck) {
    this.door = door;
    this.acme = acme;
    this.answers = answers;
    this.selfCheck = selfCheck;
  }

  /** The CA itself said no (validation, a refused order, its rate limit): worth spacing the next order. */
  static final class Refused extends Exception {
    private final ProviderException fault;

    Refused(ProviderException fault) {
      super(fault.getMessage(), null, false, false);
      this.fault = fault;
    }

    ProviderException fault() {
      return fault;
    }
  }

  Material obtain(List<String> domains) throws ProviderException, Refused, InterruptedException {
    var published = false;
    try {
      var login = login();
      var order = login.newOrder().domains(domains).create();
      var pending = new LinkedHashMap<Authorization, Http01Challenge>();
      for (var authorization : order.getAuthorizations()) {
        if (authorization.getStatus() != Status.VALID) {
          pending.put(authorization, http01(authorization));
        }
      }
      if (!pending.isEmpty()) {
        var answers = new LinkedHashMap<String, String>();
        pending.values().forEach(c -> answers.put(c.getToken(), c.getAuthorization()));
        published = true;
        this.answers.publish(door, answers);
        for (var entry : pending.entrySet()) {
          selfCheck(
              entry.getKey().getIdentifier().getDomain(),
              entry.getValue().getToken(),
              entry.getValue().getAuthorization());
        }
        for (var entry : pending.entrySet()) {
          entry.getValue().trigger();
        }
        for (var entry : pending.entrySet()) {
          if (entry.getKey().waitForCompletion(WAIT) != Status.VALID) {
            entry.getValue().fetch();
            throw refused(
                "the CA could not validate " + entry.getKey().getIdentifier().getDomain(),
                entry.getValue().getError());
          }
        }
      }
      if (order.waitUntilReady(WAIT) != Status.READY) {
        throw refused(
            "the order for " + String.join(", ", domains) + " is " + order.getStatus(),
            order.getError().or(() -> firstProblem(order.getAuthorizations())));
      }
      var key = KeyPairUtils.createECKeyPair("secp256r1");
      order.execute(key);
      if (order.waitForCompletion(WAIT) != Status.VALID) {
        throw refused(
            "the CA did not issue the certificate (order " + order.getStatus() + ")",
            order.getError());
      }
      var certificate = order.getCertificate();
      return new Material(key.getPrivate(), certificate.getCertificateChain());
    } catch (AcmeRateLimitedException e) {
      throw new Refused(new ProviderException.Terminal(
          where(),
          "the CA's rate limit: " + e.getMessage()
              + e.getRetryAfter().map(t -> " (retry after " + t + ")").orElse(""),
          "wait, and keep renew_before well above a few days so renewals have room",
          e));
    } catch (AcmeServerException e) {
      throw refused("the CA refused", Optional.of(e.getProblem()));
    } catch (AcmeNetworkException e) {
      throw new ProviderException.Transient(
          where(),
          "cannot reach the CA: " + networkFault(e),
          "check the network and platform.tls.acme.directory",
          e);
    } catch (AcmeException | IOException e) {
      throw new ProviderException.Terminal(
          where(), Texts.messageOf(e), "check platform.tls.acme", e);
    } finally {
      if (published) {
        try {
          this.answers.publish(door, Map.of());
        } catch (ProviderException e) {
          // Stale answers are harmless (each token is used once); the site switch reloads anyway.
        }
      }
    }
  }

  private Http01Challenge http01(Authorization authorization) throws ProviderException {
    return authorization
        .findChallenge(Http01Challenge.class)
        .orElseThrow(() -> new ProviderException.Terminal(
            where(),
            "the CA offers no http-01 challenge for "
                + authorization.getIdentifier().getDomain(),
            "use tls: {certificate, key} for this domain",
            null));
  }

  /**
   * Fetches the answer through the front door, as the CA will, until nginx serves it (a reload
   * returns before its new workers answer): a failed validation counts against the CA's limits,
   * a 404 here says what to fix first.
   */
  private void selfCheck(String domain, String token, String expected)
      throws ProviderException, InterruptedException {
    var at = door.nginx().probeAddress();
    var path = FrontDoor.CHALLENGE_PATH + token;
    var got = "";
    var until = System.nanoTime() + selfCheck.toNanos();
    var servedSince = 0L;
    HostHeader.allow();
    try (var client = HttpClient.newBuilder()
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(5))
        .build()) {
      while (true) {
        try {
          var address = door.host().reach(at.host(), at.port());
          // A new connection each time: a kept-alive one stays with an old worker.
          var response = client.send(
              HttpRequest.newBuilder(new URI(
                      "http", null, address.getHostString(), address.getPort(), path, null, null))
                  .header("Host", domain)
                  .header("Connection", "close")
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().strip().equals(expected)) {
            // Steadily: for a few dozen milliseconds after a reload old workers still answer too.
            servedSince = servedSince == 0L ? System.nanoTime() : servedSince;
            if (System.nanoTime() - servedSince >= SETTLED.toNanos()) {
              return;
            }
            Thread.sleep(10);
            continue;
          }
          servedSince = 0L;
          got = "HTTP " + response.statusCode();
        } catch (IOException | URISyntaxException e) {
          got = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (System.nanoTime() > until) {
          break;
        }
        Thread.sleep(20);
      }
    }
    throw new ProviderException.Terminal(
        where(),
        "nginx at " + at.host() + ":" + at.port() + " does not serve the CA's challenge for "
            + domain + " (GET " + path + " gave " + got + ")",
        "the CA fetches http://" + domain + path + "; the managed nginx serves it from "
            + door.challengeFile()
            + " (included by its default server and each HTTPS site's plain-HTTP "
            + "server); a system nginx needs, in its default server: include "
            + door.challengeFile() + ";",
        null);
  }

  private Login login() throws AcmeException, IOException {
    var session = new Session(URI.create(acme.directory()), new TrustingProvider(trust()));
    var builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
    acme.email().ifPresent(builder::addEmail);
    return builder.createLogin(session);
  }

  /** The account key of this front door, made and kept (0600) on first use. */
  private KeyPair accountKey() throws IOException {
    var file = door.stateDir().resolve("acme/account.pem");
    var text = door.host().read(file);
    if (text.isPresent()) {
      return KeyPairUtils.readKeyPair(new StringReader(text.get()));
    }
    var key = KeyPairUtils.createECKeyPair("secp256r1");
    var out = new StringWriter();
    KeyPairUtils.writeKeyPair(key, out);
    door.host().createDirectories(AtomicFiles.parentOf(file));
    door.host().writePrivate(file, out.toString());
    return key;
  }

  private SSLContext trust() throws IOException {
    return TlsTrust.context(acme.caBundle().map(Path::of));
  }

  private static Optional<Problem> firstProblem(List<Authorization> authorizations) {
    for (var authorization : authorizations) {
      for (var challenge : authorization.getChallenges()) {
        if (challenge.getError().isPresent()) {
          return challenge.getError();
        }
      }
    }
    return Optional.empty();
  }

  private Refused refused(String what, Optional<Problem> problem) {
    var words = problem.map(AcmeClient::describe).orElse("no reason given");
    return new Refused(new ProviderException.Terminal(
        where(),
        what + ": " + words,
        "the CA's own words; nothing was installed and the site serves as before",
        null));
  }

  /** {@code urn:ietf:params:acme:error:dns: detail}, with the sub-problems per identifier. */
  static String describe(Problem problem) {
    var out = new StringBuilder(problem.getType().toString());
    problem.getDetail().ifPresent(d -> out.append(": ").append(d));
    for (var sub : problem.getSubProblems()) {
      out.append("; ")
          .append(sub.getIdentifier().map(i -> i.getValue() + ": ").orElse(""))
          .append(describe(sub));
    }
    return out.toString();
  }

  /** What went wrong on the way to the CA, in words: acme4j says only "Network error". */
  static String networkFault(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "the connection was refused or the address is unreachable";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host " + c.getMessage();
      }
      if (c instanceof HttpTimeoutException) {
        return "no answer in time";
      }
      if (c instanceof SSLException) {
        return "TLS: " + Texts.messageOf(c) + " (a private CA needs platform.tls.acme.ca_bundle)";
      }
    }
    return Texts.messageOf(e);
  }

  private String where() {
    return "the CA at " + acme.directory();
  }

  /** acme4j's generic provider, with the CAs of {@code ca_bundle} trusted too. */
  private static final class TrustingProvider extends GenericAcmeProvider {
    private final SSLContext context;

    TrustingProvider(SSLContext context) {
      this.context = context;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
      return HttpClient.newBuilder()
          .sslContext(context)
          .connectTimeout(settings.getTimeout())
          .proxy(settings.getProxySelector())
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
    }
  }

  /** A private key and its chain, leaf first. */
  record Material(PrivateKey key, List<X509Certificate> chain) {}
}
