package dev.reconcile.cli;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.ForwardingSiteControl;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test seam: the real nginx provider, except that sites of one project render with a
 * directive nginx does not know, so the real {@code nginx -t} refuses them.
 */
final class BrokenSiteProvider implements Provider {
  private final Provider provider;
  private final SiteControl sites;

  private BrokenSiteProvider(Provider nginx, String brokenProject) {
    this.provider = nginx;
    this.sites =
        new ForwardingSiteControl(
            Capabilities.find(List.of(nginx), SiteControl.class).orElseThrow()) {
          @Override
          public boolean answersChallenges(FrontDoor door, String text) {
            return true;
          }

          @Override
          public boolean overTls(String text) {
            return false;
          }

          @Override
          public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
            var text = super.render(door, site, upstreams);
            return site.id().project().equals(brokenProject)
                ? text + "bogus_directive on;\n"
                : text;
          }
        };
  }

  /** The standard providers, with the nginx one replaced by this. */
  static List<Provider> providers(String brokenProject) {
    var out = new ArrayList<Provider>();
    for (var p : ObservedStateCollector.providersFound()) {
      out.add(
          Capabilities.find(List.of(p), SiteControl.class).isPresent()
              ? new BrokenSiteProvider(p, brokenProject)
              : p);
    }
    return out;
  }

  @Override
  public String name() {
    return "broken-" + provider.name();
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(sites);
  }

  @Override
  public Outcome apply(ApplyRequest request) throws ProviderException {
    return provider.apply(request);
  }

  @Override
  public Set<ResourceKind> kinds() {
    return provider.kinds();
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return provider.serves(target);
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) throws ProviderException {
    return provider.observe(request);
  }
}
