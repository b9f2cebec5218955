package dev.reconcile.cli;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A test seam: the real nginx provider, except that sites of one project render with a
 * directive nginx does not know, so the real {@code nginx -t} refuses them.
 */
final class BrokenSiteProvider implements Provider, SiteControl {
  private final Provider provider;
  private final SiteControl sites;
  private final String brokenProject;

  BrokenSiteProvider(String brokenProject) {
    this.provider = ServiceLoader.load(Provider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> Capabilities.find(List.of(p), SiteControl.class).isPresent())
        .findFirst()
        .orElseThrow();
    this.sites = Capabilities.find(List.of(provider), SiteControl.class).orElseThrow();
    this.brokenProject = brokenProject;
  }

  /** The standard providers, with the nginx one replaced by this. */
  static java.util.List<Provider> providers(String brokenProject) {
    var out = new java.util.ArrayList<Provider>();
    ServiceLoader.load(Provider.class).forEach(p -> {
      if (Capabilities.find(List.of(p), SiteControl.class).isEmpty()) {
        out.add(p);
      }
    });
    out.add(new BrokenSiteProvider(brokenProject));
    return out;
  }

  @Override
  public boolean answersChallenges(dev.reconcile.provider.FrontDoor door, String text) {
    return true;
  }

  @Override
  public boolean overTls(String text) {
    return false;
  }

  @Override
  public Optional<String> revision(String text) {
    return sites.revision(text);
  }

  @Override
  public String render(
      dev.reconcile.provider.FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
    var text = sites.render(door, site, upstreams);
    return site.id().project().equals(brokenProject) ? text + "bogus_directive on;\n" : text;
  }

  @Override
  public String name() {
    return "broken-" + provider.name();
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(this);
  }

  @Override
  public dev.reconcile.provider.Outcome apply(dev.reconcile.provider.ApplyRequest request)
      throws dev.reconcile.provider.ProviderException {
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

  @Override
  public boolean controls(NginxSettings nginx) {
    return sites.controls(nginx);
  }

  @Override
  public Verdict check(FrontDoor door, ResourceId site, String text) throws ProviderException {
    return sites.check(door, site, text);
  }

  @Override
  public Verdict checkTogether(FrontDoor door, Map<ResourceId, String> texts)
      throws ProviderException {
    return sites.checkTogether(door, texts);
  }

  @Override
  public Optional<String> installed(FrontDoor door, ResourceId site) throws ProviderException {
    return sites.installed(door, site);
  }

  @Override
  public void install(FrontDoor door, ResourceId site, String text) throws ProviderException {
    sites.install(door, site, text);
  }

  @Override
  public Outcome uninstall(FrontDoor door, ResourceId site) throws ProviderException {
    return sites.uninstall(door, site);
  }

  @Override
  public void reload(FrontDoor door) throws ProviderException {
    sites.reload(door);
  }

  @Override
  public Verdict checkInstalled(FrontDoor door) throws ProviderException {
    return sites.checkInstalled(door);
  }

  @Override
  public Optional<Long> runningPid(FrontDoor door) {
    return sites.runningPid(door);
  }

  @Override
  public boolean stop(FrontDoor door) throws ProviderException {
    return sites.stop(door);
  }
}
