package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The provider contract for the nginx provider on a front door of the test's own, on one host
 * (files only: no nginx is started, since removing a site never starts one).
 */
public abstract class NginxSiteContract extends ProviderContract {
  private final NginxProvider nginx = new NginxProvider();

  /** The host the front door is on. */
  protected abstract Host host();

  /** An empty folder on that host for the front door's state. */
  protected abstract Path state();

  @Override
  protected Provider provider() {
    return nginx;
  }

  @Override
  protected ObserveTarget target() {
    return new FrontDoor(host(), NginxSettings.Managed.DEFAULT, state(), state().resolve("sites"));
  }

  @Override
  protected ResourceId make() throws Exception {
    var site = SiteCases.all().get("shop_production");
    var door = (FrontDoor) target();
    door.host().createDirectories(door.sitesDir());
    nginx
        .sites()
        .install(door, site.id(), nginx.sites().render(door, site, SiteCases.upstreams(site)));
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
