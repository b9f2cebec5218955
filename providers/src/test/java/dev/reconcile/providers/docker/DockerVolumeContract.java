package dev.reconcile.providers.docker;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.model.HostSpec;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract for the Docker provider on one host, with volumes as the resources it
 * makes and removes; an owner and a project of the test's own, so observation sees only them.
 */
public abstract class DockerVolumeContract extends ProviderContract {
  private final String owner = "rcct-" + UUID.randomUUID();
  private final String project = "rcct" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ResourceId> made = new ArrayList<>();

  /** The host the provider reaches. */
  protected abstract HostSpec host();

  protected abstract DockerProvider docker();

  @Override
  protected Provider provider() {
    return docker();
  }

  @Override
  protected ObserveTarget target() {
    return new ObserveTarget.DockerHost(host(), Optional.empty(), owner);
  }

  private ApplyRequest volume(ResourceId id, Action action) {
    var change = new Change(id, action, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), TrafficImpact.NONE, List.of());
    return new ApplyRequest(target(), change, Optional.empty(), Optional.empty(), owner);
  }

  @Override
  protected ResourceId make() throws Exception {
    var id = ResourceId.volume(project, "production", "data");
    docker().apply(volume(id, Action.CREATE));
    made.add(id);
    return id;
  }

  @Override
  protected Optional<DesiredResource> creatable() {
    var id = ResourceId.volume(project, "staging", "uploads");
    made.add(id);
    return Optional.of(DesiredVolume.of(id, host().name()));
  }

  @Override
  protected String owner() {
    return owner;
  }

  @AfterEach
  void removeWhatWasMade() throws Exception {
    for (var id : made) {
      docker().apply(volume(id, Action.DELETE));
    }
    docker().close();
  }
}
