package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sites judged by the real nginx -t before they are installed: one at a time, and together. */
class SiteChecksNginxIT {
  @TempDir
  Path state;

  private final NginxProvider nginx = new NginxProvider();

  private FrontDoor door() {
    return new FrontDoor(
        new LocalHost("local"),
        new NginxSettings.Managed("127.0.0.1", 18091),
        state,
        state.resolve("sites"));
  }

  private String golden(String name) throws Exception {
    return Files.readString(SiteCases.GOLDEN.resolve(name))
        .replace(SiteCases.CHALLENGES, door().challengeFile().toAbsolutePath().toString())
        .replace(
            SiteCases.ACCESS_LOG,
            state.resolve("site.access.log").toAbsolutePath().toString());
  }

  @Test
  void sitesThatPassTogether_areAcceptedByOneCheck() throws Exception {
    var verdict = nginx
        .sites()
        .checkTogether(
            door(),
            Map.of(
                ResourceId.site("shop", "production"), golden("shop_production.conf"),
                ResourceId.site("shop", "staging"), golden("shop_staging.conf")));

    assertThat(verdict).isInstanceOf(SiteControl.Verdict.Accepted.class);
  }

  @Test
  void oneBadSite_failsTheCheckTogether_withNginxsReason() throws Exception {
    var verdict = nginx
        .sites()
        .checkTogether(
            door(),
            Map.of(
                ResourceId.site("shop", "production"),
                golden("shop_production.conf"),
                ResourceId.site("shop", "staging"),
                golden("shop_staging.conf") + "bogus_directive on;\n"));

    assertThat(verdict)
        .isInstanceOfSatisfying(
            SiteControl.Verdict.Rejected.class,
            r -> assertThat(r.output()).contains("unknown directive \"bogus_directive\""));
  }

  @Test
  void twoSitesThatEachPassAlone_canClashTogether() throws Exception {
    // The same upstream and log format names twice: nginx -t accepts each file alone, not both.
    var text = golden("shop_production.conf");
    var a = ResourceId.site("shop", "production");
    var b = ResourceId.site("copy", "production");

    assertThat(nginx.sites().check(door(), a, text))
        .isInstanceOf(SiteControl.Verdict.Accepted.class);
    assertThat(nginx.sites().check(door(), b, text))
        .isInstanceOf(SiteControl.Verdict.Accepted.class);
    assertThat(nginx.sites().checkTogether(door(), Map.of(a, text, b, text)))
        .isInstanceOfSatisfying(
            SiteControl.Verdict.Rejected.class,
            r -> assertThat(r.output())
                .containsAnyOf("duplicate upstream", "duplicate \"log_format\""));
  }
}
