package dev.reconcile.provider;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.resource.ResourceId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@link SiteControl} that hands every call to another one: a plugin that changes one thing of
 * the built-in front door (say, what every site renders) extends it and overrides that method
 * alone. Declared by a plugin's provider, it is found before the built-in one (plugins come
 * first), so it is the one the engine uses.
 */
public abstract class ForwardingSiteControl implements SiteControl {
  private final SiteControl delegate;

  protected ForwardingSiteControl(SiteControl delegate) {
    this.delegate = delegate;
  }

  /** The site control every call goes to. */
  protected SiteControl delegate() {
    return delegate;
  }

  @Override
  public boolean controls(NginxSettings nginx) {
    return delegate.controls(nginx);
  }

  @Override
  public boolean answersChallenges(FrontDoor door, String text) {
    return delegate.answersChallenges(door, text);
  }

  @Override
  public boolean overTls(String text) {
    return delegate.overTls(text);
  }

  @Override
  public Optional<String> revision(String text) {
    return delegate.revision(text);
  }

  @Override
  public String contentHash(String text) {
    return delegate.contentHash(text);
  }

  @Override
  public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
    return delegate.render(door, site, upstreams);
  }

  @Override
  public String rewrite(String text, UnaryOperator<String> change) {
    return delegate.rewrite(text, change);
  }

  @Override
  public Verdict check(FrontDoor door, ResourceId site, String text) throws ProviderException {
    return delegate.check(door, site, text);
  }

  @Override
  public Verdict checkTogether(FrontDoor door, Map<ResourceId, String> sites)
      throws ProviderException {
    return delegate.checkTogether(door, sites);
  }

  @Override
  public Optional<String> installed(FrontDoor door, ResourceId site) throws ProviderException {
    return delegate.installed(door, site);
  }

  @Override
  public void install(FrontDoor door, ResourceId site, String text) throws ProviderException {
    delegate.install(door, site, text);
  }

  @Override
  public Outcome uninstall(FrontDoor door, ResourceId site) throws ProviderException {
    return delegate.uninstall(door, site);
  }

  @Override
  public void reload(FrontDoor door) throws ProviderException {
    delegate.reload(door);
  }

  @Override
  public Switch serve(FrontDoor door, Collection<ResourceId> sites) throws ProviderException {
    return delegate.serve(door, sites);
  }

  @Override
  public boolean switchesLive(FrontDoor door) {
    return delegate.switchesLive(door);
  }

  @Override
  public int oldWorkers(FrontDoor door) {
    return delegate.oldWorkers(door);
  }

  @Override
  public int connectionsTo(FrontDoor door, Collection<Integer> ports) {
    return delegate.connectionsTo(door, ports);
  }

  @Override
  public void reopenLogs(FrontDoor door) throws ProviderException {
    delegate.reopenLogs(door);
  }

  @Override
  public Verdict checkInstalled(FrontDoor door) throws ProviderException {
    return delegate.checkInstalled(door);
  }

  @Override
  public List<Long> orphanedWorkers(FrontDoor door) {
    return delegate.orphanedWorkers(door);
  }

  @Override
  public Optional<Long> runningPid(FrontDoor door) {
    return delegate.runningPid(door);
  }

  @Override
  public boolean stop(FrontDoor door) throws ProviderException {
    return delegate.stop(door);
  }
}
