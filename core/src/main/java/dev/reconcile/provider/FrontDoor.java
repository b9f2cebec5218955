package dev.reconcile.provider;

import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import java.nio.file.Path;

/**
 * An nginx front door: the host it runs on, how it is run, and where its site files live (paths
 * on that host).
 *
 * @param stateDir the managed nginx keeps its prefix in {@code stateDir/nginx}
 */
public record FrontDoor(Host host, NginxSettings nginx, Path stateDir, Path sitesDir)
    implements ObserveTarget {
  @Override
  public String describe() {
    return "nginx sites in " + sitesDir + (host.name().equals("local") ? "" : " on " + host.name());
  }
}
