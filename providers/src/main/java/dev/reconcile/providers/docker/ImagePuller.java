package dev.reconcile.providers.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.reconcile.model.ImageRef;
import dev.reconcile.provider.ContainerRuntime.Login;
import dev.reconcile.provider.ProviderException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Pulls an image through the engine, telling how many bytes of its layers have arrived. */
final class ImagePuller {
  private ImagePuller() {}

  static void pull(
      DockerHost host,
      String image,
      Optional<Login> login,
      Duration limit,
      Consumer<String> progress)
      throws ProviderException, InterruptedException {
    var ref = ImageRef.of(image);
    var repository = ref.registry().map(r -> r + "/").orElse("") + ref.path();
    var command =
        host.client().pullImageCmd(repository).withTag(ref.digest().or(ref::tag).orElse("latest"));
    login.ifPresent(l -> command.withAuthConfig(new AuthConfig()
        .withRegistryAddress(l.server())
        .withUsername(l.username())
        .withPassword(l.password())));
    var callback = new Progress(progress);
    boolean done;
    try {
      done = DockerErrors.awaiting(host, "pulling " + image, () -> {
        command.exec(callback);
        return callback.awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
      });
    } catch (ProviderException e) {
      if (e.getCause() instanceof DockerException
          || e.getCause() instanceof DockerClientException) {
        // The registry's answer, relayed by the engine: worth more than the engine's wrapping.
        var said = DockerErrors.engineMessage((RuntimeException) e.getCause());
        throw new ProviderException.Terminal(e.where(), said, hint(said, image), e.getCause());
      }
      throw e;
    }
    if (!done) {
      DockerErrors.closeQuietly(callback);
      throw new ProviderException.Terminal(
          host.describe(),
          "the pull took longer than " + limit.toMinutes() + " min",
          "pull it on the host by hand (docker pull " + image + ") and apply again",
          null);
    }
  }

  private static String hint(String said, String image) {
    var lower = said.toLowerCase(Locale.ROOT);
    if (lower.contains("unauthorized")
        || lower.contains("denied")
        || lower.contains("authentication")) {
      return "check platform.registry.username and the value of its password";
    }
    if (lower.contains("manifest unknown") || lower.contains("not found")) {
      return "is " + image + " pushed to the registry?";
    }
    return lower.contains("connection refused")
            || lower.contains("no such host")
            || lower.contains("timeout")
        ? "can the host reach the registry? Try docker pull " + image + " there"
        : "";
  }

  /** Sums the layers' progress: Docker reports each layer on its own. */
  private static final class Progress extends PullImageResultCallback {
    private final Consumer<String> progress;
    private final Map<String, long[]> layers = new ConcurrentHashMap<>();

    Progress(Consumer<String> progress) {
      this.progress = progress;
    }

    @Override
    public void onNext(PullResponseItem item) {
      var detail = item.getProgressDetail();
      if (item.getId() != null
          && detail != null
          && detail.getTotal() != null
          && detail.getTotal() > 0
          && "Downloading".equals(item.getStatus())) {
        layers.put(
            item.getId(),
            new long[] {detail.getCurrent() == null ? 0 : detail.getCurrent(), detail.getTotal()});
      }
      if (!layers.isEmpty()) {
        long current = 0;
        long total = 0;
        for (var layer : layers.values()) {
          current += layer[0];
          total += layer[1];
        }
        progress.accept(String.format(
            "%.1f / %.1f MB of %d layer(s)", current / 1e6, total / 1e6, layers.size()));
      }
      super.onNext(item);
    }
  }
}
