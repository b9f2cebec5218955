package dev.reconcile.providers.ssh;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.providers.docker.DockerProvider;
import dev.reconcile.providers.nginx.NginxProvider;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The Docker and nginx providers keep the provider contract on a server reached over SSH. */
class SshProvidersContractIT {
  private static TestSshd sshd;
  private static HostSpec.Ssh spec;
  private static Host host;

  @BeforeAll
  static void connect() throws Exception {
    sshd = TestSshd.start();
    spec = sshd.host("web-2");
    host = new SshHostConnector().connect(spec, Path.of("."));
  }

  @AfterAll
  static void disconnect() throws Exception {
    host.close();
    sshd.close();
  }

  @Nested
  class Docker extends ProviderContract {
    private final DockerProvider docker = new DockerProvider();
    private final String owner = "rcct-" + UUID.randomUUID();
    private final String project = "rcct" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ResourceId> made = new ArrayList<>();

    Docker() {
      docker.useHosts(s -> host);
    }

    @Override
    protected Provider provider() {
      return docker;
    }

    @Override
    protected ObserveTarget target() {
      return new ObserveTarget.DockerHost(spec, Optional.empty(), owner);
    }

    private ApplyRequest volume(ResourceId id, Action action) {
      var change = new Change(id, action, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), List.of(), TrafficImpact.NONE, List.of());
      return new ApplyRequest(target(), change, Optional.empty(), Optional.empty(), owner);
    }

    @Override
    protected ResourceId make() throws Exception {
      var id = ResourceId.volume(project, "production", "data");
      docker.apply(volume(id, Action.CREATE));
      made.add(id);
      return id;
    }

    @Override
    protected Optional<DesiredResource> creatable() {
      var id = ResourceId.volume(project, "staging", "uploads");
      made.add(id);
      return Optional.of(DesiredVolume.of(id, spec.name()));
    }

    @Override
    protected String owner() {
      return owner;
    }

    @AfterEach
    void removeWhatWasMade() throws Exception {
      for (var id : made) {
        docker.apply(volume(id, Action.DELETE));
      }
      docker.close();
    }
  }

  @Nested
  class Nginx extends ProviderContract {
    private final NginxProvider nginx = new NginxProvider();
    @TempDir Path state;

    @Override
    protected Provider provider() {
      return nginx;
    }

    @Override
    protected ObserveTarget target() {
      return new FrontDoor(host, NginxSettings.Managed.DEFAULT, state, state.resolve("sites"));
    }

    @Override
    protected ResourceId make() throws Exception {
      var site = dev.reconcile.providers.nginx.SiteCasesAccess.shopProduction();
      var door = (FrontDoor) target();
      host.createDirectories(door.sitesDir());
      nginx.install(door, site.id(), nginx.render(site, dev.reconcile.providers.nginx.SiteCasesAccess.upstreams(site)));
      return site.id();
    }

    @Override
    protected Optional<DesiredResource> creatable() {
      return Optional.empty();
    }

    @Override
    protected String owner() {
      return "test";
    }
  }
}
