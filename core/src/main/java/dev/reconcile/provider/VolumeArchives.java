package dev.reconcile.provider;

import dev.reconcile.model.HostSpec;
import dev.reconcile.resource.ResourceId;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What backups need from a provider that runs containers: a volume's files as a tar stream out
 * of the engine and back, and images kept under a tag of their own. No host bind mounts: the
 * files travel through the engine's archive API, so this works the same for a server over SSH.
 */
public interface VolumeArchives {
  /**
   * Writes the volume's files to {@code out} as an uncompressed tar whose entries start with
   * {@code volume/}.
   *
   * @param image an image present on the host, for the short-lived helper container that mounts
   *     the volume (it is created, never started)
   */
  void export(HostSpec host, ResourceId volume, String image, OutputStream out) throws ProviderException;

  /**
   * Replaces the volume's files with those of a tar written by {@link #export}: the volume is
   * emptied first. Its writers must be stopped by the caller.
   */
  void restore(HostSpec host, ResourceId volume, String image, String owner, InputStream tar)
      throws ProviderException;

  /** Tags an image (by id) as {@code repository:tag}, so it stays when its own tag moves. */
  void keepImage(HostSpec host, String imageId, String repository, String tag) throws ProviderException;

  /**
   * Runs an argv inside a running container and streams its standard output to {@code out}
   * (a database dump). Fails, naming the exit code and the end of standard error, unless it
   * exits 0.
   */
  void execOut(HostSpec host, String containerId, java.util.List<String> argv, OutputStream out)
      throws ProviderException;

  /**
   * Runs an argv inside a running container with {@code input} ({@code size} bytes) as its
   * standard input (a database restore). The input is first copied into the container's
   * {@code /tmp} and removed after, so the container needs {@code sh} and a writable {@code /tmp}.
   */
  void execIn(HostSpec host, String containerId, java.util.List<String> argv, InputStream input, long size)
      throws ProviderException;

  /** Whether an image (reference or id) is present on the host. */
  boolean hasImage(HostSpec host, String image) throws ProviderException;
}
