package dev.reconcile.providers.nginx;

import dev.reconcile.host.Host;
import dev.reconcile.providers.host.LocalHost;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The nginx provider keeps the provider contract on a front door of this machine. */
class NginxProviderContractTest extends NginxSiteContract {
  private final Host host = new LocalHost("local");

  @TempDir
  Path state;

  @Override
  protected Host host() {
    return host;
  }

  @Override
  protected Path state() {
    return state;
  }
}
