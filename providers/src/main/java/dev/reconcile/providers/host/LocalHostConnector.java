package dev.reconcile.providers.host;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostConnector;
import dev.reconcile.model.HostSpec;
import java.nio.file.Path;

/** Hosts whose engine is on this machine ({@code docker:} entries of platform.hosts). */
public final class LocalHostConnector implements HostConnector {
  @Override
  public boolean connects(HostSpec spec) {
    return spec instanceof HostSpec.Docker;
  }

  @Override
  public Host connect(HostSpec spec, Path specDir) {
    return new LocalHost(spec.name());
  }
}
