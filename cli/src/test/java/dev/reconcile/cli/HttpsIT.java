package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import dev.reconcile.util.Certificates;
import dev.reconcile.util.TlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS against a real ACME CA (pebble) and the real nginx: certificates obtained through the
 * front door's HTTP-01 answers, applied again as a no-op, renewed, extended to a new domain,
 * refused by the CA without harm, or installed from files (and refused when the files are wrong);
 * traffic over HTTPS during a renewal and a deploy; no key material in anything the tool says.
 */
class HttpsIT {
  @TempDir
  static Path caDir;
  /** The nginx every test of the class listens on: pebble fetches challenge answers there. */
  private static final int LISTEN = TestPorts.reserve();

  private static PebbleCa ca;

  @TempDir
  Path dir;

  private final int tlsPort = TestPorts.reserve();
  private final String project =
      "rctls" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  @BeforeAll
  static void startCa() throws Exception {
    ca = new PebbleCa(caDir.resolve("pebble"), LISTEN);
  }

  @AfterAll
  static void stopCa() throws Exception {
    ca.close();
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
    TestHosts.removeProject(project);
  }

  private String domain() {
    return project + ".test";
  }

  /** @param tls the project's tls entry (empty: the platform's default, auto) */
  private void write(String version, List<String> domains, String tls, String renewBefore)
      throws Exception {
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d", listen_tls: "127.0.0.1:%d" }
          tls:
            acme: { directory: "%s", email: ops@example.com, ca_bundle: "%s" }
            renew_before: %s
        projects:
          %s:
            domains: { production: [%s] }
            %s
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
                smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
        """.formatted(
            LISTEN,
            tlsPort,
            ca.directory(),
            ca.bundle,
            renewBefore,
            project,
            String.join(", ", domains),
            tls,
            version));
  }

  private void write(String version) throws Exception {
    write(version, List.of(domain()), "", "30d");
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun apply() {
    var applied = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    noKeyIn(applied.out() + applied.err());
    return applied;
  }

  private void applied() {
    var applied = apply();
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  private Path certificateFile() {
    return dir.resolve(".reconcile/tls/" + project + ".production.pem");
  }

  private javax.net.ssl.X509TrustManager trust() throws Exception {
    return TlsTrust.trusting(TlsTrust.read(ca.bundle));
  }

  private HttpProbe.Answer https(String domain) throws Exception {
    return HttpProbe.get(
        "127.0.0.1",
        tlsPort,
        "/",
        domain,
        Duration.ofSeconds(5),
        Optional.of(new HttpProbe.Tls(domain, Optional.of(trust()))));
  }

  private String served(String domain) throws Exception {
    var answer = https(domain);
    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    return Certificates.sha256(answer.certificate().orElseThrow());
  }

  private String installed() throws Exception {
    return Certificates.sha256(Certificates.leaf(Files.readString(certificateFile())));
  }

  /** The base64 lines of every private key the tool holds must appear nowhere it writes or says. */
  private void noKeyIn(String text) {
    for (var line : keyLines()) {
      assertThat(text).as("private key material in output").doesNotContain(line);
    }
  }

  private List<String> keyLines() {
    var out = new ArrayList<String>();
    try (var files = Files.walk(dir.resolve(".reconcile"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".pem")).toList()) {
        var text = Files.readString(file);
        var begin = text.indexOf("PRIVATE KEY-----");
        if (begin >= 0) {
          var end = text.indexOf("-----END", begin);
          text.substring(begin + "PRIVATE KEY-----".length(), end)
              .lines()
              .map(String::strip)
              .filter(l -> l.length() > 20)
              .forEach(out::add);
        }
      }
    } catch (java.io.IOException e) {
      // No state directory yet: no key.
    }
    return out;
  }

  private static String curl(String... args) throws Exception {
    var argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    argv.addAll(List.of(args));
    return TestHosts.run(argv.toArray(String[]::new));
  }

  @Test
  void firstCertificate_servesHttpsOnly_andApplyAgainIsANoop() throws Exception {
    write("v1");
    var plan = run("plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).isEqualTo(2);
    assertThat(plan.out())
        .contains("+ certificate:" + project + "/production")
        .contains("obtain from the CA at " + ca.directory() + " for " + domain());

    applied();

    var resolve = domain() + ":" + tlsPort + ":127.0.0.1";
    assertThat(curl(
            "--cacert",
            ca.bundle.toString(),
            "--resolve",
            resolve,
            "https://" + domain() + ":" + tlsPort + "/"))
        .contains("version v1");
    var headers = curl(
        "-D",
        "-",
        "-o",
        "/dev/null",
        "--cacert",
        ca.bundle.toString(),
        "--resolve",
        resolve,
        "https://" + domain() + ":" + tlsPort + "/");
    assertThat(headers.toLowerCase()).contains("strict-transport-security: max-age=31536000");
    var redirect = curl(
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        "Host: " + domain(),
        "http://127.0.0.1:" + LISTEN + "/a?b=1");
    assertThat(redirect)
        .contains("308")
        .contains("ocation: https://" + domain() + ":" + tlsPort + "/a?b=1");
    // The client side allows TLS 1.1 (security level 0): only the server can refuse it.
    var tls11 = TestHosts.run(
        "sh",
        "-c",
        "openssl s_client -connect 127.0.0.1:" + tlsPort + " -servername " + domain()
            + " -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' < /dev/null 2>&1; echo exit=$?");
    assertThat(tls11).doesNotContain("exit=0");
    var tls13 = TestHosts.run(
        "sh",
        "-c",
        "openssl s_client -connect 127.0.0.1:" + tlsPort + " -servername " + domain()
            + " -tls1_3 < /dev/null 2>&1; echo exit=$?");
    assertThat(tls13).contains("exit=0").contains("TLSv1.3");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificateFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(".reconcile/acme/account.pem"))))
        .isEqualTo("rw-------");

    var again = run("plan", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.out()).isZero();
    var before = installed();
    applied();
    assertThat(installed()).as("a valid certificate is never ordered again").isEqualTo(before);

    var status = run("status");
    assertThat(status.out()).contains("certificate").contains("expires");
    noKeyIn(plan.out()
        + again.out()
        + status.out()
        + run("plan", "--format", "json").out()
        + run("history", "--project", project).out());
    try (var files = Files.walk(dir.resolve(".reconcile"))) {
      for (var file : files
          .filter(Files::isRegularFile)
          .filter(f -> !f.toString().endsWith(".pem"))
          .toList()) {
        noKeyIn(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
  }

  /**
   * The crash matrix's row for {@code certificate-installed}: an apply killed right after the new
   * certificate is in place converges on the next apply with that certificate (never a second
   * order: the CA's limits count orders), and then has nothing to do.
   */
  @Test
  void anApplyKilledAfterTheCertificateIsInstalled_convergesWithoutASecondOrder() throws Exception {
    write("v1");

    var killed = Launched.killedAfter(
        "certificate-installed",
        dir.resolve("killed.log"),
        List.of(
            "-f",
            dir.resolve("projects.yml").toString(),
            "apply",
            "--yes",
            "--bake",
            "0s",
            "--drain",
            "0s"));

    assertThat(killed.exitCode()).as(killed.log()).isEqualTo(137);
    var obtained = installed();
    var plan = run("plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isIn(0, 2);
    assertThat(plan.out()).doesNotContain("+ certificate:");
    var converged = apply();
    assertThat(converged.exitCode()).as(converged.out() + converged.err()).isZero();
    assertThat(installed()).as("the certificate installed before the kill").isEqualTo(obtained);
    assertThat(served(domain())).as("the certificate served").isEqualTo(obtained);
    assertThat(https(domain()).body()).contains("version v1");
    assertThat(apply().out()).contains("Nothing to do");
  }

  @Test
  void insideTheRenewalWindow_theCertificateIsRenewed_underLoad_withoutAFailedRequest()
      throws Exception {
    write("v1");
    applied();
    var first = served(domain());
    write("v1", List.of(domain()), "", "3650d");
    var plan = run("plan");
    assertThat(plan.out())
        .contains("~ certificate:" + project + "/production")
        .contains("expires ")
        .contains("days");
    var drift = run("drift");
    assertThat(drift.exitCode()).isEqualTo(2);
    assertThat(drift.out()).contains("renewal window");

    var load = LoadLoop.overTls(tlsPort, domain(), trust());
    load.awaitAnswer("version v1");
    applied();
    // A blue-green deploy over HTTPS too.
    write("v2", List.of(domain()), "", "3650d");
    applied();
    load.awaitAnswer("version v2");
    load.stop();

    assertThat(load.failures()).isEmpty();
    assertThat(load.answers()).isNotEmpty();
    assertThat(served(domain())).isNotEqualTo(first).isEqualTo(installed());
  }

  @Test
  void aDomainAdded_getsACertificateCoveringIt() throws Exception {
    write("v1");
    applied();
    var second = "www-" + domain();
    write("v1", List.of(domain(), second), "", "30d");

    var plan = run("plan");
    assertThat(plan.out()).contains("domains changed: + " + second);
    applied();

    assertThat(served(second)).isEqualTo(served(domain())).isEqualTo(installed());
    assertThat(https(second).body()).contains("version v1");
  }

  @Test
  void anOrderTheCaRefuses_failsClearly_andTheOldSiteKeepsServing() throws Exception {
    write("v1");
    applied();
    var before = served(domain());
    var refused = "refused-" + domain();
    ca.pointAt(refused, "127.0.0.2");
    write("v1", List.of(domain(), refused), "", "30d");

    var failed = apply();

    assertThat(failed.exitCode()).as(failed.out()).isEqualTo(1);
    assertThat(failed.out() + failed.err()).contains("urn:ietf:params:acme:error:");
    assertThat(served(domain())).isEqualTo(before).isEqualTo(installed());
    assertThat(https(domain()).body()).contains("version v1");
  }

  @Test
  void certificateFiles_areInstalled_andBadOnesRefusedWithNothingInstalled() throws Exception {
    var files = dir.resolve("certs");
    Files.createDirectories(files);
    var other = "rctls-other-" + project;
    for (var name : List.of(domain(), other)) {
      TestHosts.run(
          "openssl",
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-keyout",
          files.resolve(name + ".key").toString(),
          "-out",
          files.resolve(name + ".pem").toString(),
          "-days",
          "90",
          "-subj",
          "/CN=" + name,
          "-addext",
          "subjectAltName=DNS:" + name);
      Files.setPosixFilePermissions(
          files.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }
    var cert = files.resolve(domain() + ".pem");
    var key = files.resolve(domain() + ".key");

    // A key others may read.
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    write(
        "v1",
        List.of(domain()),
        "tls: { certificate: certs/" + domain() + ".pem, key: certs/" + domain() + ".key }",
        "30d");
    var open = apply();
    assertThat(open.exitCode()).isEqualTo(1);
    assertThat(open.out() + open.err()).contains("chmod 600 " + key);
    assertThat(certificateFile()).doesNotExist();
    assertThat(Files.exists(dir.resolve(".reconcile/nginx/sites/" + project + ".production.conf")))
        .isFalse();

    // A key of another certificate.
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    write(
        "v1",
        List.of(domain()),
        "tls: { certificate: certs/" + domain() + ".pem, key: certs/" + other + ".key }",
        "30d");
    var mismatch = apply();
    assertThat(mismatch.exitCode()).isEqualTo(1);
    assertThat(mismatch.out() + mismatch.err()).contains("does not belong to the certificate");
    assertThat(certificateFile()).doesNotExist();

    write(
        "v1",
        List.of(domain()),
        "tls: { certificate: certs/" + domain() + ".pem, key: certs/" + domain() + ".key }",
        "30d");
    applied();
    var served = HttpProbe.get(
        "127.0.0.1",
        tlsPort,
        "/",
        domain(),
        Duration.ofSeconds(5),
        Optional.of(
            new HttpProbe.Tls(domain(), Optional.of(TlsTrust.trusting(TlsTrust.read(cert))))));
    assertThat(served.body()).contains("version v1");
    assertThat(Certificates.sha256(served.certificate().orElseThrow()))
        .isEqualTo(Certificates.sha256(TlsTrust.read(cert).getFirst()));
    noKeyIn(run("plan").out());
    try (var keys = Stream.of(Files.readString(key))) {
      keys.forEach(k -> k.lines()
          .filter(l -> l.length() > 20 && !l.startsWith("-----"))
          .forEach(l -> assertThat(run("plan", "--format", "json").out()).doesNotContain(l)));
    }
  }

  @Test
  void aPlainSite_renderedBeforeSitesAnsweredTheCa_isSwitchedToHttps() throws Exception {
    write("v1", List.of(domain()), "tls: off", "30d");
    applied();
    var site = dir.resolve(".reconcile/nginx/sites/" + project + ".production.conf");
    // As an older version rendered it: no challenge answers in its server.
    Files.writeString(
        site,
        Files.readString(site)
            .lines()
            .filter(l -> !l.contains("acme/challenges.conf"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
    var prefix = dir.resolve(".reconcile/nginx");
    TestHosts.run(
        "nginx",
        "-p",
        prefix.toString(),
        "-c",
        prefix.resolve("nginx.conf").toString(),
        "-s",
        "reload");

    write("v1");
    var switched = apply();

    assertThat(switched.exitCode()).as(switched.out() + switched.err()).isZero();
    assertThat(switched.out())
        .contains("rendered again as it is, now answering the CA's challenges");
    assertThat(https(domain()).body()).contains("version v1");
    assertThat(served(domain())).isEqualTo(installed());
  }
}
