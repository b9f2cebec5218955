package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.provider.ServiceRuntimeContract;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Docker provider's swarm services keep the service contract, on a real single-node swarm of
 * this machine's engine (made for the class when the engine is in none, and left afterwards).
 */
class DockerServicesContractIT implements ServiceRuntimeContract {
  private static boolean madeSwarm;

  private final DockerProvider docker = new DockerProvider();
  private final String owner = "rcsc-" + UUID.randomUUID();
  private final String project = "rcsc" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void swarm() throws Exception {
    if (!Shell.attempt("docker", "info", "--format", "{{.Swarm.LocalNodeState}}")
        .equals("active")) {
      var init = Shell.attempt("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
      assertThat(init).as(init).contains("Swarm initialized");
      madeSwarm = true;
    }
  }

  @AfterAll
  static void leave() throws Exception {
    if (madeSwarm) {
      Shell.attempt("docker", "swarm", "leave", "--force");
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    var services = Shell.attempt(
        "docker", "service", "ls", "-q", "--filter", "label=reconcile.owner=" + owner);
    for (var id : services.isBlank() ? new String[0] : services.split("\\s+")) {
      Shell.attempt("docker", "service", "rm", id);
    }
    docker.close();
  }

  @Override
  public ServiceRuntime services() {
    return docker.services();
  }

  @Override
  public HostSpec serviceHost() {
    return new HostSpec.Docker(
        "local", HostSpec.Docker.DEFAULT_ENDPOINT, HostSpec.Docker.DEFAULT_TIMEOUT, true, true);
  }

  @Override
  public DesiredService routedService() {
    var spec = """
        version: 1
        platform:
          hosts:
            local: { swarm: unix:///var/run/docker.sock, task_ports: public }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health } }
        """.formatted(project, project);
    var validated =
        SpecValidator.standard().validate(spec.getBytes(StandardCharsets.UTF_8), "p.yml");
    return (DesiredService) new Expander((p, e) -> n -> Optional.empty())
        .expand(validated.spec().orElseThrow(), new Selection(Set.of(project), Set.of()))
        .get(ResourceId.service(project, "production", "web"))
        .orElseThrow();
  }

  @Override
  public String serviceOwner() {
    return owner;
  }
}
