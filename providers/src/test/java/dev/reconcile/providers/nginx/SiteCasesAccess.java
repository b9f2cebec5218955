package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;

/** The golden sites, for tests of other packages. */
public final class SiteCasesAccess {
  private SiteCasesAccess() {}

  public static DesiredSite shopProduction() throws Exception {
    return SiteCases.all().get("shop_production");
  }

  public static java.util.Map<String, String> upstreams(DesiredSite site) {
    return SiteCases.upstreams(site);
  }
}
