package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

  private VolumeArchive() {}

  static void export(DockerHost host, ResourceId volume, String image, OutputStream out) throws ProviderException {
    var name = Names.volume(volume);
    var helper = helper(host, name, image, List.of("true"));
    try (InputStream tar = DockerErrors.call(host, "reading volume " + name,
        () -> host.client().copyArchiveFromContainerCmd(helper, MOUNT).exec())) {
      tar.transferTo(out);
    } catch (IOException e) {
      throw new ProviderException.Transient(host.describe(), "reading volume " + name + " failed: "
          + e.getMessage(), "check the free space where the backup is written", e);
    } finally {
      remove(host, helper);
    }
  }

  static void restore(DockerHost host, ResourceId volume, String image, String owner, InputStream tar)
      throws ProviderException {
    var name = Names.volume(volume);
    ContainerActions.ensureVolume(host, volume, owner);
    // Emptied by a helper that runs once: the archive API can add files but never remove them.
    var helper = helper(host, name, image, List.of("sh", "-c",
        "rm -rf " + MOUNT + "/* " + MOUNT + "/.[!.]* " + MOUNT + "/..?*"));
    try {
      DockerErrors.call(host, "emptying volume " + name, () -> {
        host.client().startContainerCmd(helper).exec();
        return null;
      });
      var code = DockerErrors.call(host, "emptying volume " + name,
          () -> host.client().waitContainerCmd(helper).start().awaitStatusCode());
      if (code != 0) {
        throw new ProviderException.Terminal(host.describe(), "emptying volume " + name + " failed (exit "
            + code + ")", "restoring a volume runs 'sh' in a helper from the project's image " + image
            + "; the image needs a shell", null);
      }
      DockerErrors.call(host, "writing volume " + name, () -> {
        host.client().copyArchiveToContainerCmd(helper).withRemotePath("/").withTarInputStream(tar).exec();
        return null;
      });
    } finally {
      remove(host, helper);
    }
  }

  private static String helper(DockerHost host, String volume, String image, List<String> cmd)
      throws ProviderException {
    var mount = new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(MOUNT);
    var created = DockerErrors.call(host, "creating a helper for volume " + volume, () -> host.client()
        .createContainerCmd(image).withName("rc-backup-" + UUID.randomUUID().toString().substring(0, 12))
        .withLabels(Map.of(HELPER_LABEL, "backup")).withEntrypoint(List.of()).withCmd(cmd)
        .withHostConfig(HostConfig.newHostConfig().withMounts(List.of(mount)).withNetworkMode("none"))
        .exec());
    return created.getId();
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

  static void keepImage(DockerHost host, String imageId, String repository, String tag) throws ProviderException {
    DockerErrors.call(host, "tagging image " + imageId + " as " + repository + ":" + tag, () -> {
      host.client().tagImageCmd(imageId, repository, tag).withForce().exec();
      return null;
    });
  }

  static boolean hasImage(DockerHost host, String image) throws ProviderException {
    return DockerErrors.find(host, "looking up image " + image, () -> host.client().inspectImageCmd(image).exec())
        .isPresent();
  }
}
