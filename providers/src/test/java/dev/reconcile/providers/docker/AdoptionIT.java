package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.Adoption;
import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A volume of projects.yml that takes over a Docker volume made before reconcile (as compose
 * makes them): refused while a container runs on that volume, then made on its data in place,
 * on the real engine. Writes through either are seen through the other; nothing is copied. And
 * the containers from before that an environment takes over, found and stopped for good.
 */
class AdoptionIT {
  private static final String IMAGE = "reconcile-test/web:v1";
  private final String owner = "rcad-" + UUID.randomUUID();
  private final String project = "rcad" + UUID.randomUUID().toString().substring(0, 8);
  private final String old = project + "_pgdata";
  private final ResourceId id = ResourceId.volume(project, "production", "pgdata");
  private final DockerProvider docker = new DockerProvider();
  private final List<String> containers = new ArrayList<>();

  private String onVolume(String volume, String script) throws Exception {
    return Shell.run(
        "docker",
        "run",
        "--rm",
        "--network",
        "none",
        "--label",
        "reconcile.helper=test",
        "-v",
        volume + ":/v",
        IMAGE,
        "sh",
        "-c",
        script);
  }

  private Outcome create() throws Exception {
    var desired = DesiredVolume.of(id, "local", Optional.of(old));
    var change = new Change(
        id,
        Action.CREATE,
        Optional.empty(),
        Optional.empty(),
        Optional.of(desired.specHash()),
        Optional.empty(),
        List.of(),
        TrafficImpact.NONE,
        List.of());
    return docker.apply(new ApplyRequest(
        new ObserveTarget.DockerHost(
            new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT),
            Optional.empty(),
            owner),
        change,
        Optional.of(desired),
        Optional.empty(),
        owner));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (var c : containers) {
      Shell.attempt("docker", "rm", "-f", c);
    }
    for (var v : List.of(Names.volume(id), old)) {
      Shell.attempt("docker", "volume", "rm", "-f", v);
    }
    docker.close();
  }

  @Test
  void aVolumeInUse_isRefused_thenTakenOverInPlace_withNothingCopied() throws Exception {
    Shell.run("docker", "volume", "create", old);
    onVolume(old, "echo rows > /v/table");
    var database = Shell.run(
        "docker",
        "run",
        "-d",
        "--network",
        "none",
        "--label",
        "reconcile.helper=test",
        "-v",
        old + ":/v",
        IMAGE,
        "sleep",
        "600");
    containers.add(database);

    assertThatThrownBy(this::create)
        .isInstanceOf(ProviderException.Terminal.class)
        .hasMessageContaining("volume " + old + " is in use by")
        .hasMessageContaining("a second writer of the same data");
    assertThat(Shell.run("docker", "volume", "ls", "-q", "--filter", "name=" + Names.volume(id)))
        .as("nothing made")
        .isEmpty();

    Shell.run("docker", "stop", "-t", "0", database);
    var made = create();

    assertThat(made).isInstanceOf(Outcome.Created.class);
    assertThat(made.describe()).contains("on the data of " + old);
    assertThat(Shell.run(
            "docker",
            "volume",
            "inspect",
            "-f",
            "{{index .Labels \"reconcile.adopted-from\"}}",
            Names.volume(id)))
        .as("observed as made on it, so a plan can tell")
        .isEqualTo(old);
    assertThat(onVolume(Names.volume(id), "cat /v/table")).isEqualTo("rows");
    onVolume(Names.volume(id), "echo more > /v/written-by-reconcile");
    assertThat(onVolume(old, "cat /v/written-by-reconcile"))
        .as("the same data, in place: the old volume sees what was written since")
        .isEqualTo("more");
    assertThat(create()).as("made once").isInstanceOf(Outcome.Unchanged.class);
  }

  @Test
  void aVolumeThatIsNotThere_isNamed() {
    assertThatThrownBy(this::create)
        .isInstanceOf(ProviderException.Terminal.class)
        .hasMessageContaining(
            "volume " + old + ", which " + Names.volume(id) + " is to take over, does not exist");
  }

  @Test
  void containersFromBefore_areFoundByComposeLabelAndByName_andStopSoThatARebootLeavesThemStopped()
      throws Exception {
    Shell.run("docker", "volume", "create", old);
    var byHand = project + "-cron";
    containers.add(Shell.run(
        "docker",
        "run",
        "-d",
        "--name",
        byHand,
        "--restart",
        "always",
        "--network",
        "none",
        "--label",
        "reconcile.helper=test",
        "-v",
        old + ":/v",
        IMAGE,
        "sleep",
        "600"));
    containers.add(Shell.run(
        "docker",
        "run",
        "-d",
        "--name",
        project + "_web_1",
        "--network",
        "none",
        "--label",
        "reconcile.helper=test",
        "--label",
        "com.docker.compose.project=" + project,
        "--label",
        "com.docker.compose.service=web",
        IMAGE,
        "sleep",
        "600"));
    containers.add(Shell.run(
        "docker",
        "run",
        "-d",
        "--name",
        project + "x_web_1",
        "--network",
        "none",
        "--label",
        "reconcile.helper=test",
        "--label",
        "com.docker.compose.project=" + project + "x",
        IMAGE,
        "sleep",
        "600"));
    var adoption = ResourceId.adoption(project, "production");
    var desired = new DesiredState(
        java.util.Map.of(
            adoption,
            DesiredAdoption.of(
                adoption,
                "local",
                new Adoption(
                    java.util.Map.of("pgdata", old),
                    Optional.of(project),
                    List.of(byHand),
                    Optional.empty()),
                java.util.Map.of(old, List.of("db")))),
        Selection.ALL);
    var host = new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT);
    var target = new ObserveTarget.DockerHost(host, Optional.empty(), owner);

    var found = docker.observe(new ObserveRequest(target, desired)).resources().stream()
        .filter(ObservedAdoption.class::isInstance)
        .map(ObservedAdoption.class::cast)
        .findFirst()
        .orElseThrow();

    assertThat(found.containers())
        .extracting(l -> l.name() + " " + l.running() + " " + l.volumes() + " " + l.service())
        .containsExactly(byHand + " true [" + old + "] ", project + "_web_1 true [] web");

    var stopped = docker.containers().stopKept(host, adoption, byHand);

    assertThat(stopped.describe())
        .contains("stopped and kept")
        .contains("restart: always became unless-stopped");
    assertThat(Shell.run(
            "docker",
            "inspect",
            "-f",
            "{{.State.Status}} {{.HostConfig.RestartPolicy.Name}}",
            byHand))
        .isEqualTo("exited unless-stopped");
    assertThat(docker.observe(new ObserveRequest(target, desired)).resources().stream()
            .filter(ObservedAdoption.class::isInstance)
            .map(ObservedAdoption.class::cast)
            .flatMap(a -> a.running().stream())
            .map(ObservedAdoption.Legacy::name))
        .containsExactly(project + "_web_1");
  }
}
