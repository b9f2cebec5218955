package dev.reconcile.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HTTPS as projects.yml declares it: which environments get a certificate, and from where. */
class TlsExpansionTest {
  private static final String SPEC = """
      version: 1
      platform:
        nginx: { listen: "127.0.0.1:8080", listen_tls: "8443" }
        tls:
          acme: { directory: "https://acme-staging-v02.api.letsencrypt.org/directory", ca_bundle: ca.pem }
          renew_before: 20d
      projects:
        shop:
          domains: { production: [shop.example.com, www.shop.example.com], staging: shop.test, qa: qa.shop.example.com }
          containers:
            web: { image: "shop/web:1.0", port: 80 }
          environments:
            staging: { tls: off }
            qa: { tls: { certificate: certs/qa.pem, key: certs/qa.key } }
      """;

  private static final Variables FILES = new Variables() {
    @Override
    public java.util.function.Function<String, Optional<String>> lookupFor(
        dev.reconcile.model.ProjectSpec p, String e) {
      return name -> Optional.empty();
    }

    @Override
    public Optional<String> readFile(String path) {
      return Optional.ofNullable(
          Map.of("certs/qa.pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n")
              .get(path));
    }

    @Override
    public String resolve(String path) {
      return "/srv/spec/" + path;
    }
  };

  private static DesiredState expand(String yaml) {
    var spec = SpecValidator.standard()
        .validate(yaml.getBytes(StandardCharsets.UTF_8), "t.yml")
        .spec()
        .orElseThrow();
    return new Expander(FILES).expand(spec, Selection.ALL);
  }

  @Test
  void auto_isTheDefaultWithACa_andTheSiteDependsOnItsCertificate() {
    var desired = expand(SPEC);
    var certificate = (DesiredCertificate)
        desired.get(ResourceId.certificate("shop", "production")).orElseThrow();
    var site = (DesiredSite) desired.get(ResourceId.site("shop", "production")).orElseThrow();

    assertThat(certificate.domains()).containsExactly("shop.example.com", "www.shop.example.com");
    assertThat(certificate.source())
        .isEqualTo(new DesiredCertificate.Source.Acme(
            "https://acme-staging-v02.api.letsencrypt.org/directory",
            Optional.empty(),
            Optional.of("/srv/spec/ca.pem")));
    assertThat(certificate.renewBefore()).isEqualTo(Duration.ofDays(20));
    assertThat(site.dependsOn()).contains(certificate.id());
    assertThat(site.fingerprint().tls())
        .contains(new SiteFingerprint.Tls("127.0.0.1:8443", 31_536_000, false));
  }

  @Test
  void off_givesNoCertificate_andAPlainSite() {
    var desired = expand(SPEC);

    assertThat(desired.get(ResourceId.certificate("shop", "staging"))).isEmpty();
    var site = (DesiredSite) desired.get(ResourceId.site("shop", "staging")).orElseThrow();
    assertThat(site.fingerprint().tls()).isEmpty();
  }

  @Test
  void files_hashTheCertificate_neverTheKey() {
    var qa = (DesiredCertificate)
        expand(SPEC).get(ResourceId.certificate("shop", "qa")).orElseThrow();
    var source = (DesiredCertificate.Source.Files) qa.source();

    assertThat(source.certificate()).isEqualTo("/srv/spec/certs/qa.pem");
    assertThat(source.key()).isEqualTo("/srv/spec/certs/qa.key");
    assertThat(source.digest()).isPresent();
    var renewed = (DesiredCertificate) new Expander(new Variables() {
          @Override
          public java.util.function.Function<String, Optional<String>> lookupFor(
              dev.reconcile.model.ProjectSpec p, String e) {
            return name -> Optional.empty();
          }

          @Override
          public Optional<String> readFile(String path) {
            return Optional.of("-----BEGIN CERTIFICATE-----\nBB==\n-----END CERTIFICATE-----\n");
          }
        })
        .expand(
            SpecValidator.standard()
                .validate(SPEC.getBytes(StandardCharsets.UTF_8), "t.yml")
                .spec()
                .orElseThrow(),
            Selection.ALL)
        .get(ResourceId.certificate("shop", "qa"))
        .orElseThrow();
    assertThat(renewed.specHash()).as("a renewed file is a change").isNotEqualTo(qa.specHash());
  }

  @Test
  void plainHttpSites_keepTheHashTheyHadBeforeTls() {
    var plain = new SiteFingerprint(
        java.util.List.of("a.test"), java.util.List.of(new Route("/", "web")), "127.0.0.1:8080");

    assertThat(plain.toJson().has("tls")).isFalse();
    assertThat(SiteFingerprint.fromJson(plain.toJson())).contains(plain);
  }

  @Test
  void offForAPublicDomain_isAWarning_butNotForALocalOne() {
    var validated = SpecValidator.standard()
        .validate(
            SPEC.replace(
                    "qa: { tls: { certificate: certs/qa.pem, key: certs/qa.key } }",
                    "qa: { tls: off }")
                .getBytes(StandardCharsets.UTF_8),
            "t.yml");

    assertThat(validated.diagnostics().toString())
        .contains("warning: tls: off serves qa.shop.example.com over plain HTTP")
        .doesNotContain("serves shop.test");
  }

  @Test
  void listenTls_mayBeAPortAlone_writtenAsANumber() {
    var validated = SpecValidator.standard()
        .validate(
            SPEC.replace("listen_tls: \"8443\"", "listen_tls: 8443")
                .getBytes(StandardCharsets.UTF_8),
            "t.yml");
    assertThat(validated.diagnostics().hasErrors())
        .as(validated.diagnostics().toString())
        .isFalse();
    var site = (DesiredSite) new Expander(FILES)
        .expand(validated.spec().orElseThrow(), Selection.ALL)
        .get(ResourceId.site("shop", "production"))
        .orElseThrow();
    assertThat(site.fingerprint().tls())
        .contains(new SiteFingerprint.Tls("127.0.0.1:8443", 31_536_000, false));
  }
}
