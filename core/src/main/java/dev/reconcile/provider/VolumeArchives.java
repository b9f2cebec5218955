package dev.reconcile.provider;

import dev.reconcile.model.HostSpec;
import dev.reconcile.resource.ResourceId;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * What backups need from a provider that runs containers: a volume's files as a tar stream out
 * of the engine and back, and images kept under a tag of their own. No host bind mounts: the
 * files travel through the engine's archive API, so this works the same for a server over SSH.
 */
public interface VolumeArchives extends Capability {
  /**
   * Writes the volume's files to {@code out} as an uncompressed tar whose entries start with
   * {@code volume/}.
   *
   * @param image an image present on the host, for the short-lived helper container that mounts
   *     the volume (it is created, never started)
   */
  void export(HostSpec host, ResourceId volume, String image, OutputStream out)
      throws ProviderException;

  /**
   * The first half of a restore, while the volume's writers still run: writes a tar made by
   * {@link #export} into a staging volume of its own (a new one each time), and returns how many
   * regular files are there afterwards. The volume itself is not touched. The upload has no
   * deadline as a whole (a few GB over SSH take long), only one on progress: no byte taken for
   * {@code stall} ends it.
   */
  long stage(HostSpec host, ResourceId volume, String image, InputStream tar, Duration stall)
      throws ProviderException, InterruptedException;

  /** Whether a staging volume of {@link #stage} is there for the volume (a restore that was interrupted). */
  boolean staged(HostSpec host, ResourceId volume) throws ProviderException;

  /**
   * The second half, with the writers stopped by the caller: the volume's files are replaced by
   * the staging volume's, copied inside the engine (no upload). The staging volume stays (see
   * {@link #discardStaged}). Interrupted, it can be run again from the same staging volume.
   */
  void swapIn(HostSpec host, ResourceId volume, String image, String owner)
      throws ProviderException;

  /**
   * Removes the volume's staging volume once it was swapped in (after the writers started again,
   * so that their downtime does not wait for it); none there, nothing to do. One left behind by a
   * killed run is removed by the volume's next {@link #stage}.
   */
  void discardStaged(HostSpec host, ResourceId volume) throws ProviderException;

  /** Tags an image (by id) as {@code repository:tag}, so it stays when its own tag moves. */
  void keepImage(HostSpec host, String imageId, String repository, String tag)
      throws ProviderException;

  /**
   * Runs an argv inside a running container and streams its standard output to {@code out}
   * (a database dump). Fails, naming the exit code and the end of standard error, unless it
   * exits 0; fails too when no output came for {@code stall} (a dump waiting on a lock must not
   * hold the environment's lock for ever). A large dump may take hours: only silence ends it.
   */
  void execOut(
      HostSpec host, String containerId, List<String> argv, OutputStream out, Duration stall)
      throws ProviderException;

  /**
   * Runs an argv inside a running container with {@code input} ({@code size} bytes) as its
   * standard input (a database restore). The input is first copied into the container's
   * {@code /tmp} and removed after, so the container needs {@code sh} and a writable {@code /tmp}.
   */
  void execIn(HostSpec host, String containerId, List<String> argv, InputStream input, long size)
      throws ProviderException;

  /** Removes a tag made by {@link #keepImage} (the image stays while other tags or containers use it). */
  void forgetImage(HostSpec host, String tag) throws ProviderException;

  /**
   * Removes helper containers that runs killed while backing up or restoring left behind (their
   * process is gone); what it removed.
   */
  List<String> sweepHelpers(HostSpec host) throws ProviderException;

  /** Whether an image (reference or id) is present on the host. */
  boolean hasImage(HostSpec host, String image) throws ProviderException;
}
