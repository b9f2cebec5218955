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
import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** A running container of the test's own, made with the docker CLI on this machine's engine. */
  private String sleeper() throws Exception {
    var name = "rcct-exec-" + UUID.randomUUID().toString().substring(0, 8);
    var process = new ProcessBuilder("docker", "run", "-d", "--name", name, "--label", "reconcile.helper=test",
        "--network", "none", "reconcile-test/web:v1", "sleep", "600").redirectErrorStream(true).start();
    var id = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor()).as(id).isZero();
    sleepers.add(name);
    return id;
  }

  private final List<String> sleepers = new ArrayList<>();

  @AfterEach
  void removeSleepers() throws Exception {
    for (var name : sleepers) {
      new ProcessBuilder("docker", "rm", "-f", name).redirectErrorStream(true).start().waitFor();
    }
  }

  @Test
  void exec_streamsStandardOutputOnly_andGivesAnInputFileAsStandardInput() throws Exception {
    var container = sleeper();
    var input = new byte[300_000];
    new java.util.Random(7).nextBytes(input);
    input[0] = 0;

    docker().execIn(host(), container, List.of("sh", "-c", "cat > /tmp/got"), new ByteArrayInputStream(input),
        input.length);
    var out = new ByteArrayOutputStream();
    docker().execOut(host(), container, List.of("sh", "-c", "cat /tmp/got; echo noise >&2"), out);

    assertThat(out.toByteArray()).isEqualTo(input);
    var left = new ByteArrayOutputStream();
    docker().execOut(host(), container, List.of("ls", "/tmp"), left);
    assertThat(left.toString(StandardCharsets.UTF_8)).as("the input file is removed after").isEqualTo("got\n");
  }

  @Test
  void exec_thatFails_namesTheExitCodeAndWhatItSaid() throws Exception {
    var container = sleeper();

    assertThatThrownBy(() -> docker().execOut(host(), container, List.of("sh", "-c", "echo bad table >&2; exit 4"),
        new ByteArrayOutputStream()))
        .isInstanceOf(ProviderException.class).hasMessageContaining("exit 4").hasMessageContaining("bad table");
    assertThatThrownBy(() -> docker().execOut(host(), container, List.of("pg_dump", "x"),
        new ByteArrayOutputStream()))
        .isInstanceOf(ProviderException.class).hasMessageContaining("pg_dump");
  }
}
