package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.ForwardingSiteControl;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.provider.SiteControlContract;
import dev.reconcile.providers.host.LocalHost;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site control contract, against the real nginx -t of a managed front door of the test's own
 * (nothing is started, so its listen port is never bound): nginx's own site control, and one a
 * plugin wraps it in that changes what every site renders, as the request-id example does.
 */
class NginxSiteControlContractTest {
  abstract static class OnAFrontDoorOfItsOwn extends SiteControlContract {
    @TempDir
    Path state;

    @Override
    protected FrontDoor door() throws Exception {
      var door = new FrontDoor(
          new LocalHost("local"),
          new NginxSettings.Managed("127.0.0.1", 18091),
          state,
          state.resolve("sites"));
      new ManagedNginx(door.host(), state, (NginxSettings.Managed) door.nginx())
          .prepare(door.sitesDir());
      return door;
    }

    @Override
    protected DesiredSite site() throws Exception {
      return SiteCases.all().get("shop_production");
    }

    @Override
    protected Map<String, String> upstreams() throws Exception {
      return SiteCases.upstreams(site());
    }
  }

  @Nested
  class Nginx extends OnAFrontDoorOfItsOwn {
    @Override
    protected SiteControl sites() {
      return new NginxProvider().sites();
    }
  }

  @Nested
  class WrappedByAPlugin extends OnAFrontDoorOfItsOwn {
    @Override
    protected SiteControl sites() {
      return new ForwardingSiteControl(new NginxProvider().sites()) {
        @Override
        public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
          return rewrite(
              super.render(door, site, upstreams),
              body -> body.replace(
                  "location / {", "location / {\n    add_header X-Contract \"wrapped\" always;"));
        }
      };
    }
  }
}
