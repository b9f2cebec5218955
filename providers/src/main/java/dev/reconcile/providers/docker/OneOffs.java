package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.reconcile.desired.Networking;
import dev.reconcile.provider.ContainerRuntime.OneOff;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Throwaway containers: a release command before a deploy, {@code reconcile run}. Made like a
 * slot of the container (image, env, volumes, its network, so it reaches the database by name),
 * but published nowhere and named on no network, labelled as a one-off so that observation never
 * takes it for a slot, and removed however it ends. Its output streams as it comes, and its wait
 * has the command's own timeout, not the engine call's.
 */
final class OneOffs {
  /** Lines of output kept for the message of a failure. */
  private static final int KEPT = 20;

  private OneOffs() {}

  static OneOff run(
      DockerHost host,
      SlotLaunch launch,
      String purpose,
      List<String> command,
      Duration timeout,
      Consumer<String> output)
      throws ProviderException, InterruptedException {
    var container = launch.container();
    var name = Names.container(container.id(), purpose);
    removeLeftover(host, name);
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.PROJECT, container.id().project());
    labels.put(Labels.ENVIRONMENT, container.id().environment());
    labels.put(Labels.OWNER, launch.owner());
    labels.put(Labels.HOST, host.name());
    labels.put(Labels.ONE_OFF, purpose);
    labels.put(Labels.ONE_OFF_OF, container.id().name().orElseThrow());
    var hostConfig = HostConfig.newHostConfig()
        .withInit(true)
        .withMounts(ContainerActions.mounts(container.id(), container.spec().volumes()));
    if (container.networking().isPresent()) {
      hostConfig.withNetworkMode(
          Networks.egress(host, container.networking().get().pool()));
    }
    var create = host.client()
        .createContainerCmd(container.fingerprint().image())
        .withName(name)
        .withLabels(labels)
        .withCmd(command)
        .withHostConfig(hostConfig)
        .withEnv(launch.env().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
    var id = DockerErrors.call(host, "creating " + purpose + " container " + name, create::exec)
        .getId();
    try {
      if (container.networking().filter(Networking::named).isPresent()) {
        Networks.join(
            host, id, container.networking().get().network(), List.of(), Optional.empty());
      }
      return follow(host, id, name, timeout, output);
    } finally {
      // However it ended, even interrupted: never left behind.
      var interrupted = Thread.interrupted();
      DockerErrors.find(host, "removing " + name, () -> {
        host.client().removeContainerCmd(id).withForce(true).exec();
        return id;
      });
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static OneOff follow(
      DockerHost host, String id, String name, Duration timeout, Consumer<String> output)
      throws ProviderException, InterruptedException {
    var started = System.nanoTime();
    var lines = new Lines(output);
    DockerErrors.call(host, "starting " + name, () -> {
      host.client().startContainerCmd(id).exec();
      return id;
    });
    var logs = host.client()
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        .exec(lines);
    var wait = host.client().waitContainerCmd(id).exec(new WaitContainerResultCallback());
    Integer code;
    try {
      code = wait.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // The engine's answer did not come within the command's timeout, or the stream broke.
      code = null;
    } finally {
      DockerErrors.closeQuietly(wait);
    }
    if (code == null) {
      DockerErrors.find(host, "stopping " + name, () -> {
        host.client().killContainerCmd(id).exec();
        return id;
      });
    }
    // The log stream ends when the container does; what it still holds is read to its end.
    logs.awaitCompletion(5, TimeUnit.SECONDS);
    DockerErrors.closeQuietly(logs);
    lines.flush();
    var took = Duration.ofNanos(System.nanoTime() - started);
    return new OneOff(code == null ? -1 : code, took, code == null, lines.last());
  }

  /** A container of this name left by a run that was killed: the tool's own, so it goes. */
  private static void removeLeftover(DockerHost host, String name) throws ProviderException {
    List<Container> found = DockerErrors.call(
        host,
        "looking for a left-over " + name,
        () -> host.client()
            .listContainersCmd()
            .withShowAll(true)
            .withNameFilter(List.of(name))
            .exec());
    for (var container : found) {
      if (("/" + name).equals(container.getNames()[0]) || name.equals(container.getNames()[0])) {
        if (container.getLabels() == null || !container.getLabels().containsKey(Labels.ONE_OFF)) {
          throw new ProviderException.Terminal(
              host.describe(),
              "a container named " + name + " exists and is " + "not a one-off of reconcile's",
              "remove or rename it",
              null);
        }
        DockerErrors.find(host, "removing the left-over " + name, () -> {
          host.client().removeContainerCmd(container.getId()).withForce(true).exec();
          return name;
        });
      }
    }
  }

  /** Splits the frames of the output into lines, passing each on and keeping the last few. */
  private static final class Lines extends ResultCallback.Adapter<Frame> {
    private final Consumer<String> output;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ArrayDeque<String> last = new ArrayDeque<>();

    Lines(Consumer<String> output) {
      this.output = output;
    }

    @Override
    public synchronized void onNext(Frame frame) {
      for (var b : frame.getPayload()) {
        if (b == '\n') {
          emit();
        } else {
          partial.write(b);
        }
      }
    }

    synchronized void flush() {
      if (partial.size() > 0) {
        emit();
      }
    }

    synchronized List<String> last() {
      return List.copyOf(last);
    }

    private void emit() {
      var line = partial.toString(StandardCharsets.UTF_8).stripTrailing();
      partial.reset();
      output.accept(line);
      last.addLast(line);
      if (last.size() > KEPT) {
        last.removeFirst();
      }
    }
  }
}
