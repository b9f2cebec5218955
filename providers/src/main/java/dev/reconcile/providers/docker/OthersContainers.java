package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.Container;
import dev.reconcile.provider.ProviderException;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Every container of a host that this state directory does not own, listed once per observation
 * and only if asked for: the conflicts and the adoptions both look through them.
 */
final class OthersContainers {
  private final DockerHost host;
  private final String owner;
  private @Nullable List<Container> all;

  OthersContainers(DockerHost host, String owner) {
    this.host = host;
    this.owner = owner;
  }

  /** Synchronized: an observation asks for the conflicts and the adoptions at once. */
  synchronized Stream<Container> stream() throws ProviderException {
    var listed = all;
    if (listed == null) {
      listed = DockerErrors.call(
          host,
          "listing containers",
          () -> host.client().listContainersCmd().withShowAll(true).exec());
      all = listed;
    }
    return listed.stream().filter(c -> !Labels.isOwnedBy(c.getLabels(), owner));
  }
}
