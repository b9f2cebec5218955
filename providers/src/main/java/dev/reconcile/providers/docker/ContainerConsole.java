package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.reconcile.desired.Networking;
import dev.reconcile.host.CommandLine;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ContainerRuntime.LogQuery;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a person does with a running app: read its output (the engine's log API, on every
 * transport), run a command in it or in a throwaway copy of it (the engine's own client, on the
 * host, with the person's terminal: a hijacked attach does not behave the same over every
 * transport, the docker client does).
 */
final class ContainerConsole {
  private ContainerConsole() {}

  static void logs(
      DockerHost host, String target, boolean service, LogQuery query, Consumer<String> output)
      throws ProviderException, InterruptedException {
    var lines = new LineSplitter(output);
    var since = query.since().map(d -> (int) (System.currentTimeMillis() / 1000 - d.toSeconds()));
    ResultCallback.Adapter<Frame> stream;
    if (service) {
      var command = host.client()
          .logServiceCmd(target)
          .withStdout(true)
          .withStderr(true)
          .withFollow(query.follow());
      query.tail().ifPresent(command::withTail);
      since.ifPresent(command::withSince);
      stream = command.exec(lines);
    } else {
      var command = host.client()
          .logContainerCmd(target)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(query.follow());
      query.tail().ifPresent(command::withTail);
      since.ifPresent(command::withSince);
      stream = command.exec(lines);
    }
    try {
      DockerErrors.awaitingDone(
          host, "reading the output of " + target, () -> stream.awaitCompletion());
    } finally {
      DockerErrors.closeQuietly(stream);
      lines.flush();
    }
  }

  /** {@code docker [-H endpoint] exec -i [-t] CONTAINER ARGV...}, on the host of the engine. */
  static CommandLine exec(HostSpec host, String containerId, List<String> argv, boolean terminal) {
    var command = client(host);
    command.add("exec");
    command.add("-i");
    if (terminal) {
      command.add("-t");
    }
    command.add(containerId);
    command.addAll(argv);
    return CommandLine.of(command.toArray(String[]::new));
  }

  /** {@code docker [-H endpoint] start -a -i CONTAINER}. */
  static CommandLine attach(HostSpec host, String containerId) {
    var command = client(host);
    command.addAll(List.of("start", "-a", "-i", containerId));
    return CommandLine.of(command.toArray(String[]::new));
  }

  /**
   * A throwaway container like a slot, created to be started attached ({@code reconcile run}):
   * stdin open, a terminal when the person has one; env through the API, never on a command line.
   */
  static String createRun(DockerHost host, SlotLaunch launch, List<String> argv, boolean terminal)
      throws ProviderException {
    var container = launch.container();
    var name =
        Names.container(container.id(), "run-" + Long.toString(System.nanoTime() & 0xffffffL, 36));
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.PROJECT, container.id().project());
    labels.put(Labels.ENVIRONMENT, container.id().environment());
    labels.put(Labels.OWNER, launch.owner());
    labels.put(Labels.HOST, host.name());
    labels.put(Labels.ONE_OFF, "run");
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
        .withHostConfig(hostConfig)
        .withTty(terminal)
        .withStdinOpen(true)
        .withStdInOnce(true)
        .withAttachStdin(true)
        .withAttachStdout(true)
        .withAttachStderr(true)
        .withEnv(launch.env().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
    if (!argv.isEmpty()) {
      create.withCmd(argv);
    }
    var id = DockerErrors.call(host, "creating " + name, create::exec).getId();
    if (container.networking().filter(Networking::named).isPresent()) {
      try {
        Networks.join(
            host, id, container.networking().get().network(), List.of(), Optional.empty());
      } catch (ProviderException e) {
        ContainerActions.remove(host, container.id(), id);
        throw e;
      }
    }
    return id;
  }

  private static List<String> client(HostSpec host) {
    var command = new ArrayList<String>(List.of("docker"));
    // An engine of this machine other than the default is named; a server's is its own default.
    if (host instanceof HostSpec.Docker d
        && !d.endpoint().equals(HostSpec.Docker.DEFAULT_ENDPOINT)) {
      command.addAll(List.of("-H", d.endpoint()));
    }
    return command;
  }

  /** Frames of output, split into lines. */
  private static final class LineSplitter extends ResultCallback.Adapter<Frame> {
    private final Consumer<String> output;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineSplitter(Consumer<String> output) {
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

    private void emit() {
      output.accept(partial.toString(StandardCharsets.UTF_8).stripTrailing());
      partial.reset();
    }
  }
}
