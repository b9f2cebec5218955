package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A volume's files out of the engine and back through its archive API: a helper container that
 * mounts the volume at {@code /volume} is created from an image already on the host, its
 * {@code /volume} copied out (or in), and the helper removed. Helpers carry {@code
 * reconcile.helper=backup}, never the managed label, so observation never counts them.
 */
final class VolumeArchive {
  static final String MOUNT = "/volume";
  static final String HELPER_LABEL = "reconcile.helper";
  /** On a helper container: MACHINE:PID of the process that made it, for the sweep. */
  static final String HELPER_OWNER = "reconcile.helper-owner";

  private static final String THIS_PROCESS =
      machine() + ":" + ProcessHandle.current().pid();
  /** On a staging volume: the volume it is being restored into. */
  static final String RESTORING = "reconcile.restoring";
  /** Where a swap mounts the staging volume. */
  static final String FROM = "/restored";

  private VolumeArchive() {}

  static void export(DockerHost host, ResourceId volume, String image, OutputStream out)
      throws ProviderException {
    var name = Names.volume(volume);
    var helper = helper(host, name, image, List.of("true"));
    try (InputStream tar = DockerErrors.call(
        host,
        "reading volume " + name,
        () -> host.client().copyArchiveFromContainerCmd(helper, MOUNT).exec())) {
      tar.transferTo(out);
    } catch (IOException e) {
      throw new ProviderException.Transient(
          host.describe(),
          "reading volume " + name + " failed: " + e.getMessage(),
          "check the free space where the backup is written",
          e);
    } finally {
      remove(host, helper);
    }
  }

  /** The name of a volume's staging volume, where a restore writes before it swaps in. */
  static String staging(ResourceId volume) {
    return Names.volume(volume) + "-restoring";
  }

  static long stage(
      DockerHost host, ResourceId volume, String image, InputStream tar, Duration stall)
      throws ProviderException, InterruptedException {
    var staging = staging(volume);
    removeVolume(host, staging);
    DockerErrors.call(
        host,
        "creating volume " + staging,
        () -> host.client()
            .createVolumeCmd()
            .withName(staging)
            .withLabels(Map.of(HELPER_LABEL, "restore", RESTORING, Names.volume(volume)))
            .exec());
    // The helper that takes the upload then counts what landed: one helper, not two.
    var counting = "counting the files of " + staging;
    var helper =
        helper(host, staging, image, List.of("sh", "-c", "find " + MOUNT + " -type f | wc -l"));
    String counted;
    try {
      var progress = new Progress(tar);
      var watchdog = Thread.ofVirtual().start(() -> progress.watch(stall));
      try {
        // Not bounded by the host's per-call timeout: only progress is.
        DockerErrors.awaitingDone(
            host,
            "writing " + staging,
            () -> host.client()
                .copyArchiveToContainerCmd(helper)
                .withRemotePath("/")
                .withTarInputStream(progress)
                .exec());
      } catch (ProviderException e) {
        throw progress.stalled
            ? new ProviderException.Transient(
                host.describe(),
                "writing " + staging + " stalled: no byte taken for " + stall.toSeconds()
                    + " s after " + progress.bytes + " bytes",
                "check the connection to the host; the restore can be run again",
                e)
            : e;
      } finally {
        watchdog.interrupt();
      }
      counted = complete(host, helper, image, counting);
    } finally {
      remove(host, helper);
    }
    try {
      return Long.parseLong(counted.strip());
    } catch (NumberFormatException e) {
      throw new ProviderException.Terminal(
          host.describe(),
          counting + " said '" + counted.strip() + "'",
          "restoring a volume runs 'sh', 'find' and 'wc' in a helper from the project's " + "image "
              + image,
          null);
    }
  }

  static boolean staged(DockerHost host, ResourceId volume) throws ProviderException {
    var staging = staging(volume);
    return DockerErrors.find(
            host,
            "looking up volume " + staging,
            () -> host.client().inspectVolumeCmd(staging).exec())
        .isPresent();
  }

  static void swapIn(DockerHost host, ResourceId volume, String image, String owner)
      throws ProviderException {
    var name = Names.volume(volume);
    var staging = staging(volume);
    ContainerActions.ensureVolume(host, volume, owner);
    // Emptied, then filled from the staging volume, in one helper: the archive API can add files
    // but never remove them, and a copy inside the engine moves no byte over the connection.
    run(
        host,
        List.of(
            new Mount().withType(MountType.VOLUME).withSource(name).withTarget(MOUNT),
            new Mount()
                .withType(MountType.VOLUME)
                .withSource(staging)
                .withTarget(FROM)
                .withReadOnly(true)),
        image,
        List.of(
            "sh",
            "-c",
            "rm -rf " + MOUNT + "/* " + MOUNT + "/.[!.]* " + MOUNT + "/..?* && cp -a " + FROM
                + "/. " + MOUNT + "/ && sync"),
        "swapping the restored files into volume " + name);
  }

  static void discardStaged(DockerHost host, ResourceId volume) throws ProviderException {
    removeVolume(host, staging(volume));
  }

  /** Runs a helper to its end; its output. Fails naming the exit code and the output's end. */
  private static String run(
      DockerHost host, List<Mount> mounts, String image, List<String> cmd, String what)
      throws ProviderException {
    var created = create(host, mounts, image, cmd, what);
    try {
      return complete(host, created, image, what);
    } finally {
      remove(host, created);
    }
  }

  /** A helper container, created and not started, without a network. */
  private static String create(
      DockerHost host, List<Mount> mounts, String image, List<String> cmd, String what)
      throws ProviderException {
    return DockerErrors.call(
            host,
            what,
            () -> host.client()
                .createContainerCmd(image)
                .withName("rc-backup-" + UUID.randomUUID().toString().substring(0, 12))
                .withLabels(Map.of(HELPER_LABEL, "backup", HELPER_OWNER, THIS_PROCESS))
                .withEntrypoint(List.of())
                .withCmd(cmd)
                .withHostConfig(
                    HostConfig.newHostConfig().withMounts(mounts).withNetworkMode("none"))
                .exec())
        .getId();
  }

  /** Starts a created helper and waits for its end; its output. Fails naming the exit code. */
  private static String complete(DockerHost host, String created, String image, String what)
      throws ProviderException {
    DockerErrors.call(host, what, () -> {
      host.client().startContainerCmd(created).exec();
      return null;
    });
    // A copy of a large volume takes its time: waited for without the per-call deadline.
    Integer code;
    try {
      code = DockerErrors.awaiting(
          host,
          what,
          () -> host.client()
              .waitContainerCmd(created)
              .exec(new WaitContainerResultCallback())
              .awaitStatusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Terminal(host.describe(), what + " was interrupted", "", e);
    }
    var output = new StringBuilder();
    try {
      DockerErrors.awaiting(
          host,
          what,
          () -> host.client()
              .logContainerCmd(created)
              .withStdOut(true)
              .withStdErr(true)
              .exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  if (output.length() < 4096) {
                    output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                  }
                }
              })
              .awaitCompletion());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Terminal(host.describe(), what + " was interrupted", "", e);
    }
    if (code == null || code != 0) {
      throw new ProviderException.Terminal(
          host.describe(),
          what + " failed (exit " + code + "): " + output.toString().strip(),
          "restoring a volume runs 'sh' in a helper from the project's image " + image
              + "; the image needs a shell, find, wc and cp",
          null);
    }
    return output.toString();
  }

  private static void removeVolume(DockerHost host, String name) throws ProviderException {
    DockerErrors.find(host, "removing volume " + name, () -> {
      host.client().removeVolumeCmd(name).exec();
      return name;
    });
  }

  /** Counts what the upload takes; {@link #watch} ends it when nothing moves for too long. */
  private static final class Progress extends FilterInputStream {
    volatile long bytes;
    volatile boolean stalled;

    Progress(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      var b = super.read();
      if (b >= 0) {
        bytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      var n = super.read(buffer, offset, length);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }

    void watch(Duration stall) {
      var last = -1L;
      var since = System.nanoTime();
      try {
        while (true) {
          Thread.sleep(Math.min(1000, stall.toMillis()));
          if (bytes != last) {
            last = bytes;
            since = System.nanoTime();
          } else if (System.nanoTime() - since > stall.toNanos()) {
            stalled = true;
            in.close(); // the upload reads a closed stream and fails
            return;
          }
        }
      } catch (InterruptedException | IOException e) {
        // Done: the upload ended.
      }
    }
  }

  private static String helper(DockerHost host, String volume, String image, List<String> cmd)
      throws ProviderException {
    return create(
        host,
        List.of(new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(MOUNT)),
        image,
        cmd,
        "creating a helper for volume " + volume);
  }

  private static void remove(DockerHost host, String container) {
    try {
      DockerErrors.find(host, "removing helper " + container, () -> {
        host.client().removeContainerCmd(container).withForce(true).exec();
        return container;
      });
    } catch (ProviderException e) {
      // A leftover helper holds no port and runs nothing; its label names it.
    }
  }

  /**
   * Removes helper containers whose maker is gone: made by a process of this machine that no longer
   * runs, or (made by an older version, without the label) more than a day ago.
   */
  static List<String> sweep(DockerHost host) throws ProviderException {
    var swept = new ArrayList<String>();
    var day = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();
    for (var c : DockerErrors.call(
        host,
        "listing helper containers",
        () -> host.client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(HELPER_LABEL, "backup"))
            .exec())) {
      var owner = c.getLabels() == null ? null : c.getLabels().get(HELPER_OWNER);
      var gone = owner == null ? c.getCreated() != null && c.getCreated() < day : makerGone(owner);
      if (gone) {
        remove(host, c.getId());
        swept.add(
            c.getNames() == null || c.getNames().length == 0
                ? c.getId()
                : c.getNames()[0].replace("/", ""));
      }
    }
    return swept;
  }

  private static boolean makerGone(String owner) {
    var colon = owner.lastIndexOf(':');
    if (colon < 0 || !owner.substring(0, colon).equals(machine())) {
      return false; // another machine's: it cannot be told from here
    }
    try {
      return ProcessHandle.of(Long.parseLong(owner.substring(colon + 1)))
          .map(p -> !p.isAlive())
          .orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String machine() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void forget(DockerHost host, String tag) throws ProviderException {
    DockerErrors.find(host, "removing the tag " + tag, () -> {
      host.client().removeImageCmd(tag).exec();
      return tag;
    });
  }

  static void keepImage(DockerHost host, String imageId, String repository, String tag)
      throws ProviderException {
    DockerErrors.call(host, "tagging image " + imageId + " as " + repository + ":" + tag, () -> {
      host.client().tagImageCmd(imageId, repository, tag).withForce().exec();
      return null;
    });
  }

  static boolean hasImage(DockerHost host, String image) throws ProviderException {
    return DockerErrors.find(
            host,
            "looking up image " + image,
            () -> host.client().inspectImageCmd(image).exec())
        .isPresent();
  }
}
