package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx provider keeps the provider contract on a front door of its own (files only: no
 * nginx is started, since removing a site never starts one).
 */
class NginxProviderContractTest extends ProviderContract {
  private final NginxProvider nginx = new NginxProvider();
  @TempDir Path state;

  @Override
  protected Provider provider() {
    return nginx;
  }

  @Override
  protected ObserveTarget target() {
    return new FrontDoor(new LocalHost("local"), NginxSettings.Managed.DEFAULT, state, state.resolve("sites"));
  }

  @Override
  protected ResourceId make() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var door = (FrontDoor) target();
    door.host().createDirectories(door.sitesDir());
    nginx.install(door, site.id(), nginx.render(site, SiteCases.upstreams(site)));
    return site.id();
  }

  @Override
  protected Optional<DesiredResource> creatable() {
    // A site is created by a rollout: its upstreams are the slots the rollout started.
    return Optional.empty();
  }

  @Override
  protected String owner() {
    return "test";
  }
}
