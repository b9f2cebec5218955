package org.example.reconcile;

import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.providers.nginx.NginxProvider;
import dev.reconcile.resource.ResourceKind;
import java.util.List;
import java.util.Set;

/**
 * A provider that owns no resources and declares one capability: the built-in nginx front door,
 * with every site it renders giving each request an id ({@link RequestIdSites}). Found by ServiceLoader
 * through META-INF/services/dev.reconcile.provider.Provider; as a plugin it is found before the
 * built-in nginx provider, so its site control is the one reconcile uses.
 */
public final class RequestIds implements Provider {
  private final SiteControl sites = new RequestIdSites(
      Capabilities.find(List.of(new NginxProvider()), SiteControl.class).orElseThrow());

  /** ServiceLoader makes providers with a public constructor without arguments. */
  public RequestIds() {}

  @Override
  public String name() {
    return "request-id";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(); // it observes nothing: nginx's provider still observes the sites
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(sites);
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return false;
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) {
    return new ObservedBatch(List.of(), List.of(), List.of());
  }

  @Override
  public Outcome apply(ApplyRequest request) {
    throw request.notApplied(this, "it owns no resources");
  }
}
