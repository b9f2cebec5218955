package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sites routed live: the body names no address, so a switch of slots leaves it unchanged. */
class LiveRoutesTest {
  private static final Map<String, String> BLUE =
      Map.of("backend", "127.0.0.1:20001", "frontend", "127.0.0.1:20002");
  private static final Map<String, String> GREEN =
      Map.of("backend", "127.0.0.1:20011", "frontend", "127.0.0.1:20002");

  @Test
  void render_live_matchesItsGoldenSite_andNamesNoAddress() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var text = SiteFile.render(site, BLUE, SiteCases.files(), true);

    Golden.assertMatches(SiteCases.GOLDEN.resolve("live/shop_production.conf"), text);
    assertThat(SiteFile.body(text)).doesNotContain("127.0.0.1:2000").contains(LiveRoutes.BALANCER);
  }

  @Test
  void switchOfSlots_changesTheHeaderAndTheServedRevision_notTheBody() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var blue = SiteFile.render(site, BLUE, SiteCases.files(), true);
    var green = SiteFile.render(site, GREEN, SiteCases.files(), true);

    assertThat(SiteFile.body(green)).isEqualTo(SiteFile.body(blue));
    assertThat(SiteFile.revision(green)).isNotEqualTo(SiteFile.revision(blue));
    var bodyRevision = SiteRenderer.revisionOf(SiteFile.body(green)).orElseThrow();
    assertThat(SiteFile.revision(green)).contains(LiveRoutes.servedRevision(bodyRevision, GREEN));
    var read = SiteFile.read("shop.production.conf", green).orElseThrow();
    assertThat(read.routedLive()).isTrue();
    assertThat(read.revision()).isEqualTo(SiteFile.revision(green));
    assertThat(SiteFile.read("s.conf", SiteFile.render(site, BLUE, SiteCases.files()))
            .orElseThrow()
            .routedLive())
        .isFalse();
  }

  @Test
  void servedRevision_isWhatTheLuaCodeComputes() {
    // md5("0123456789abcdef web=127.0.0.1:19002"), as nginx answered it by hand.
    assertThat(LiveRoutes.servedRevision("0123456789abcdef", Map.of("web", "127.0.0.1:19002")))
        .isEqualTo("253d054a07c14aec");
  }

  @Test
  void routesText_isOneSortedLinePerUpstream() throws Exception {
    var site = SiteCases.all().get("shop_production");
    assertThat(LiveRoutes.text(site.id(), GREEN))
        .isEqualTo("reconcile__shop__production__backend 127.0.0.1:20011\n"
            + "reconcile__shop__production__frontend 127.0.0.1:20002\n");
  }

  @Test
  void luaStrings_escapeWhatWouldEndThem() {
    assertThat(LiveRoutes.lua("/state dir/\"x\"\\y")).isEqualTo("\"/state dir/\\\"x\\\"\\\\y\"");
  }
}
