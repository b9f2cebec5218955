package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.provider.RevisionAnswer;
import dev.reconcile.testing.Golden;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteFileTest {

  @Test
  void render_everyCase_matchesItsGoldenSite() throws Exception {
    for (var entry : SiteCases.all().entrySet()) {
      var site = entry.getValue();
      Golden.assertMatches(
          SiteCases.GOLDEN.resolve(entry.getKey() + ".conf"),
          SiteFile.render(site, SiteCases.upstreams(site), SiteCases.files()));
    }
  }

  @Test
  void render_tlsSite_servesHttpsOnly_andHttpOnlyForChallengesAndTheRedirect() throws Exception {
    var text = SiteFile.render(
        SiteCases.all().get("tls_shop"), Map.of("web", "127.0.0.1:20001"), SiteCases.files());

    assertThat(text)
        .contains(
            "listen 127.0.0.1:8443 ssl http2;",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "include " + SiteCases.CHALLENGES + ";",
            "return 308 https://$host:8443$request_uri;",
            "ssl_certificate_key " + SiteCases.CERTIFICATE + ";",
            "Strict-Transport-Security \"max-age=2592000\"")
        .doesNotContain("TLSv1.1", "ssl_stapling on");
    var read = SiteFile.read("shop.production.conf", text).orElseThrow();
    assertThat(read.recorded().orElseThrow().tls()).isPresent();
    assertThat(new NginxProvider().sites().overTls(text)).isTrue();
  }

  @Test
  void read_renderedFile_givesBackIdHashesAndUpstreams() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var text =
        SiteFile.render(site, Map.of("backend", "127.0.0.1:20001", "frontend", "127.0.0.1:20002"));

    var observed = SiteFile.read("shop.production.conf", text).orElseThrow();

    assertThat(observed.id()).isEqualTo(site.id());
    assertThat(observed.specHash()).isEqualTo(site.specHash());
    assertThat(observed.recorded()).contains(site.fingerprint());
    assertThat(observed.upstreams()).containsEntry("backend", "127.0.0.1:20001");
    assertThat(observed.editedOutside()).isFalse();
  }

  @Test
  void read_bodyEditedByHand_isReportedAsEditedOutside() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var text = SiteFile.render(site, SiteCases.upstreams(site))
        .replace("proxy_read_timeout 60s;", "proxy_read_timeout 600s;");

    assertThat(SiteFile.read("f.conf", text).orElseThrow().editedOutside()).isTrue();
  }

  @Test
  void rewrite_byAPlugin_keepsTheFileTheToolsOwn_withItsRevisionAndUpstreams() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var text = SiteFile.render(site, SiteCases.upstreams(site));

    var rewritten = SiteFile.rewrite(
        text, body -> body.replace("server {\n", "server {\n    add_header X-Plugin 1;\n"));

    var observed = SiteFile.read("f.conf", rewritten).orElseThrow();
    assertThat(rewritten).contains("add_header X-Plugin 1;");
    assertThat(observed.editedOutside()).isFalse();
    assertThat(observed.specHash()).isEqualTo(site.specHash());
    assertThat(observed.upstreams())
        .isEqualTo(SiteFile.read("f.conf", text).orElseThrow().upstreams());
    assertThat(SiteFile.revision(rewritten)).isEqualTo(SiteFile.revision(text));
  }

  @Test
  void revision_isWrittenIntoEveryServerAndChangesWithTheUpstreams() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var blue =
        SiteFile.render(site, Map.of("backend", "127.0.0.1:20001", "frontend", "127.0.0.1:20002"));
    var green =
        SiteFile.render(site, Map.of("backend", "127.0.0.1:20003", "frontend", "127.0.0.1:20002"));

    var revision = SiteRenderer.revisionOf(blue).orElseThrow();
    var answer = revision + " backend=127.0.0.1:20001 frontend=127.0.0.1:20002";
    assertThat(blue.split("return 200 \"" + answer + "\\\\n\";", -1))
        .as("one per server block")
        .hasSize(3);
    assertThat(RevisionAnswer.parse(answer + "\n"))
        .as("what observation reads back")
        .contains(new RevisionAnswer(
            revision, Map.of("backend", "127.0.0.1:20001", "frontend", "127.0.0.1:20002")));
    assertThat(SiteRenderer.revisionOf(green)).isPresent().isNotEqualTo(Optional.of(revision));
    assertThat(SiteRenderer.revisionOf("server { listen 80; }\n")).isEmpty();
  }

  @Test
  void revisionOf_aLongHandEditedBlock_isReadWithoutRecursingPerCharacter() {
    var revision = "0123456789abcdef";
    var body = "server {\n    location = /.well-known/reconcile/revision {\n        # "
        + "x".repeat(200_000) + "\n        add_header X { a; }\n        return 200 \"" + revision
        + " web=127.0.0.1:20001\\n\";\n    }\n}\n";

    assertThat(SiteRenderer.revisionOf(body)).contains(revision);
    assertThat(SiteRenderer.revisionOf(body.replace("return 200", "return 404")))
        .as("no answer inside the block, none found")
        .isEmpty();
  }

  @Test
  void read_fileWithoutHeader_isNotTheTools() {
    assertThat(SiteFile.read("default.conf", "server { listen 80; }\n")).isEmpty();
    assertThat(SiteFile.read("x.conf", "# reconcile {not json}\n\nserver {}\n")).isEmpty();
  }

  @Test
  void render_apiLocation_neverMatchesALongerWord() throws Exception {
    var text = SiteFile.render(
        SiteCases.all().get("shop_production"),
        SiteCases.upstreams(SiteCases.all().get("shop_production")));

    assertThat(text)
        .contains("location = /api {", "location ^~ /api/ {")
        .doesNotContain("location /api {");
  }
}
