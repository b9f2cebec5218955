package dev.reconcile.providers.tls;

import dev.reconcile.host.Host;
import dev.reconcile.providers.host.LocalHost;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The certificate provider keeps the provider contract on a front door of this machine. */
class CertificateProviderContractTest extends CertificateContract {
  private final Host host = new LocalHost("local");

  @TempDir
  Path state;

  @TempDir
  Path files;

  @Override
  protected Host host() {
    return host;
  }

  @Override
  protected Path state() {
    return state;
  }

  @Override
  protected Path files() {
    return files;
  }
}
