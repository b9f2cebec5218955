package dev.reconcile.providers.docker;

import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.resource.ResourceId;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The Docker provider's archives for backups: volumes streamed out and staged back in through
 * helper containers, database dumps through exec, images kept by a tag of the backup's own.
 */
final class DockerVolumes implements VolumeArchives {
  private final DockerHosts hosts;

  DockerVolumes(DockerHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public void export(HostSpec host, ResourceId volume, String image, OutputStream out)
      throws ProviderException {
    VolumeArchive.export(hosts.get(host), volume, image, out);
  }

  @Override
  public long stage(HostSpec host, ResourceId volume, String image, InputStream tar, Duration stall)
      throws ProviderException, InterruptedException {
    return VolumeArchive.stage(hosts.get(host), volume, image, tar, stall);
  }

  @Override
  public void forgetImage(HostSpec host, String tag) throws ProviderException {
    VolumeArchive.forget(hosts.get(host), tag);
  }

  @Override
  public List<String> sweepHelpers(HostSpec host) throws ProviderException {
    return VolumeArchive.sweep(hosts.get(host));
  }

  @Override
  public boolean staged(HostSpec host, ResourceId volume) throws ProviderException {
    return VolumeArchive.staged(hosts.get(host), volume);
  }

  @Override
  public void swapIn(HostSpec host, ResourceId volume, String image, String owner)
      throws ProviderException {
    VolumeArchive.swapIn(hosts.get(host), volume, image, owner);
  }

  @Override
  public void discardStaged(HostSpec host, ResourceId volume) throws ProviderException {
    VolumeArchive.discardStaged(hosts.get(host), volume);
  }

  @Override
  public void keepImage(HostSpec host, String imageId, String repository, String tag)
      throws ProviderException {
    VolumeArchive.keepImage(hosts.get(host), imageId, repository, tag);
  }

  @Override
  public boolean hasImage(HostSpec host, String image) throws ProviderException {
    return VolumeArchive.hasImage(hosts.get(host), image);
  }

  @Override
  public void execOut(
      HostSpec host, String containerId, List<String> argv, OutputStream out, Duration stall)
      throws ProviderException {
    ContainerExec.out(hosts.get(host), containerId, argv, out, stall);
  }

  @Override
  public void execIn(
      HostSpec host, String containerId, List<String> argv, InputStream input, long size)
      throws ProviderException {
    ContainerExec.in(hosts.get(host), containerId, argv, input, size);
  }
}
