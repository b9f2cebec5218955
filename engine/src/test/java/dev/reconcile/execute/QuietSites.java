package dev.reconcile.execute;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import java.util.Map;
import java.util.Optional;

/**
 * A front door for unit tests that accepts every site and does nothing: a test's fake extends it
 * and overrides only what it watches or makes fail.
 */
class QuietSites implements SiteControl {
  @Override
  public boolean controls(NginxSettings nginx) {
    return true;
  }

  @Override
  public boolean answersChallenges(FrontDoor door, String text) {
    return true;
  }

  @Override
  public boolean overTls(String text) {
    return false;
  }

  @Override
  public Optional<String> revision(String text) {
    return Optional.empty();
  }

  @Override
  public String contentHash(String text) {
    return Integer.toHexString(text.hashCode());
  }

  @Override
  public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
    return "site " + upstreams;
  }

  @Override
  public Verdict check(FrontDoor door, ResourceId site, String text) {
    return new Verdict.Accepted();
  }

  @Override
  public Optional<String> installed(FrontDoor door, ResourceId site) {
    return Optional.empty();
  }

  @Override
  public void install(FrontDoor door, ResourceId site, String text) throws ProviderException {}

  @Override
  public Outcome uninstall(FrontDoor door, ResourceId site) throws ProviderException {
    return new Outcome.Deleted(site, "site " + site);
  }

  @Override
  public void reload(FrontDoor door) throws ProviderException {}

  @Override
  public Verdict checkInstalled(FrontDoor door) {
    return new Verdict.Accepted();
  }

  @Override
  public Optional<Long> runningPid(FrontDoor door) {
    return Optional.empty();
  }

  @Override
  public boolean stop(FrontDoor door) {
    return false;
  }
}
