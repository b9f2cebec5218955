package dev.reconcile.providers.docker;

import dev.reconcile.model.HostSpec;

/** The Docker provider keeps the provider contract against the real engine of this machine. */
class DockerProviderContractIT extends DockerVolumeContract {
  private final DockerProvider docker = new DockerProvider();

  @Override
  protected HostSpec host() {
    return new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT);
  }

  @Override
  protected DockerProvider docker() {
    return docker;
  }
}
