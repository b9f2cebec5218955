package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.HostSpec;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ContainerRuntimeContract;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.provider.VolumeArchivesContract;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider contract for the Docker provider on one host, with volumes as the resources it
 * makes and removes; an owner and a project of the test's own, so observation sees only them.
 */
public abstract class DockerVolumeContract extends ProviderContract
    implements ContainerRuntimeContract, VolumeArchivesContract {
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
    var change = new Change(
        id,
        action,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        TrafficImpact.NONE,
        List.of());
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
      // A staging volume a failed restore may leave; then the volume itself.
      new ProcessBuilder("docker", "volume", "rm", "-f", VolumeArchive.staging(id))
          .redirectErrorStream(true)
          .start()
          .waitFor();
      docker().apply(volume(id, Action.DELETE));
    }
    docker().close();
  }

  /** A running container of the test's own, made with the docker CLI on this machine's engine. */
  private String sleeper() throws Exception {
    var name = "rcct-exec-" + UUID.randomUUID().toString().substring(0, 8);
    var process = new ProcessBuilder(
            "docker",
            "run",
            "-d",
            "--name",
            name,
            "--label",
            "reconcile.helper=test",
            "--network",
            "none",
            "reconcile-test/web:v1",
            "sleep",
            "600")
        .redirectErrorStream(true)
        .start();
    var id = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor()).as(id).isZero();
    sleepers.add(name);
    return id;
  }

  private final List<String> sleepers = new ArrayList<>();

  @AfterEach
  void removeNetworks() throws Exception {
    // Slots started here made their project environment's networks.
    var ids = new String(
            new ProcessBuilder(
                    "docker",
                    "network",
                    "ls",
                    "-q",
                    "--filter",
                    "label=reconcile.project=" + project)
                .start()
                .getInputStream()
                .readAllBytes(),
            StandardCharsets.UTF_8)
        .strip();
    if (!ids.isEmpty()) {
      var command = new ArrayList<>(List.of("docker", "network", "rm"));
      command.addAll(List.of(ids.split("\\s+")));
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }
  }

  @AfterEach
  void removeSleepers() throws Exception {
    for (var name : sleepers) {
      new ProcessBuilder("docker", "rm", "-f", name)
          .redirectErrorStream(true)
          .start()
          .waitFor();
    }
  }

  @Override
  public ContainerRuntime containers() {
    return docker().containers();
  }

  @Override
  public HostSpec runtimeHost() {
    return host();
  }

  @Override
  public DesiredContainer routedContainer() {
    return web();
  }

  @Override
  public String runtimeOwner() {
    return owner;
  }

  @Override
  public VolumeArchives archives() {
    return docker().volumes();
  }

  @Override
  public HostSpec archiveHost() {
    return host();
  }

  @Override
  public String helperImage() {
    return "reconcile-test/web:v1";
  }

  @Override
  public String archiveOwner() {
    return owner;
  }

  @Override
  public ResourceId volumeWithFiles() throws Exception {
    var id = ResourceId.volume(project, "production", "filled");
    docker().apply(volume(id, Action.CREATE));
    made.add(id);
    var fill = new ProcessBuilder(
            "docker",
            "run",
            "--rm",
            "--network",
            "none",
            "--label",
            "reconcile.helper=test",
            "-v",
            Names.volume(id) + ":/v",
            helperImage(),
            "sh",
            "-c",
            "echo before > /v/small && mkdir -p /v/dir && head -c 70000 /dev/urandom > /v/dir/big")
        .redirectErrorStream(true)
        .start();
    var said = new String(fill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(fill.waitFor()).as(said).isZero();
    return id;
  }

  @Override
  public ResourceId emptyVolume() throws Exception {
    var id = ResourceId.volume(project, "production", "empty");
    docker().apply(volume(id, Action.CREATE));
    made.add(id);
    return id;
  }

  /** One routed container of the test's project, as the expander makes it from a spec. */
  private DesiredContainer web() {
    var spec = """
        version: 1
        projects:
          %s:
            domains: { production: %s.test }
            containers: { web: { image: "reconcile-test/web:v1", port: 8080 } }
        """.formatted(project, project);
    var validated =
        SpecValidator.standard().validate(spec.getBytes(StandardCharsets.UTF_8), "p.yml");
    return (DesiredContainer) new Expander((p, e) -> n -> Optional.empty())
        .expand(validated.spec().orElseThrow(), new Selection(Set.of(project), Set.of()))
        .get(ResourceId.container(project, "production", "web"))
        .orElseThrow();
  }

  @Test
  void exec_streamsStandardOutputOnly_andGivesAnInputFileAsStandardInput() throws Exception {
    var container = sleeper();
    var input = new byte[300_000];
    new java.util.Random(7).nextBytes(input);
    input[0] = 0;

    docker()
        .volumes()
        .execIn(
            host(),
            container,
            List.of("sh", "-c", "cat > /tmp/got"),
            new ByteArrayInputStream(input),
            input.length);
    var out = new ByteArrayOutputStream();
    docker()
        .volumes()
        .execOut(host(), container, List.of("sh", "-c", "cat /tmp/got; echo noise >&2"), out, LONG);

    assertThat(out.toByteArray()).isEqualTo(input);
    var left = new ByteArrayOutputStream();
    docker().volumes().execOut(host(), container, List.of("ls", "/tmp"), left, LONG);
    assertThat(left.toString(StandardCharsets.UTF_8))
        .as("the input file is removed after")
        .isEqualTo("got\n");
  }

  private static final java.time.Duration LONG = java.time.Duration.ofMinutes(5);

  @Test
  void exec_thatFails_namesTheExitCodeAndWhatItSaid() throws Exception {
    var container = sleeper();

    assertThatThrownBy(() -> docker()
            .volumes()
            .execOut(
                host(),
                container,
                List.of("sh", "-c", "echo bad table >&2; exit 4"),
                new ByteArrayOutputStream(),
                LONG))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("exit 4")
        .hasMessageContaining("bad table");
    assertThatThrownBy(() -> docker()
            .volumes()
            .execOut(host(), container, List.of("pg_dump", "x"), new ByteArrayOutputStream(), LONG))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("pg_dump");
  }

  @Test
  void exec_thatGoesSilent_isGivenUpAfterItsStall_butOneThatKeepsTalking_runsLonger()
      throws Exception {
    var container = sleeper();
    var stall = java.time.Duration.ofSeconds(2);

    var started = System.nanoTime();
    assertThatThrownBy(() -> docker()
            .volumes()
            .execOut(
                host(),
                container,
                List.of("sh", "-c", "echo a; sleep 600"),
                new ByteArrayOutputStream(),
                stall))
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining("gave no output for 2 s");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(java.time.Duration.ofSeconds(60));

    // Output every half second for longer than the stall: a slow dump is not a stuck one.
    var out = new ByteArrayOutputStream();
    docker()
        .volumes()
        .execOut(
            host(),
            container,
            List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo $i; sleep 0.5; done"),
            out,
            stall);
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("10\n");
  }
}
