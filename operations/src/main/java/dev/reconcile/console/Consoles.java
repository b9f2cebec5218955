package dev.reconcile.console;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.host.CommandLine;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.spec.Interpolation;
import dev.reconcile.util.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The entry point of the console arrow: a person and a running app. Finds what serves a
 * container of a project environment (its live slot; during a switch, both), reads its output,
 * runs a command in it or in a throwaway copy of it. Changes nothing the plan manages.
 */
public final class Consoles {
  private final Reconciliation reconciliation;
  private final Reconciliation.Outcome.Planned planned;

  /** @param planned a plan of the environment, whose observation says what runs */
  public Consoles(Reconciliation reconciliation, Reconciliation.Outcome.Planned planned) {
    this.reconciliation = reconciliation;
    this.planned = planned;
  }

  /** Why a console cannot start: said to the person as it is. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }
  /** A project of projects.yml; a name that is none is refused, naming it. */
  private ProjectSpec project(String name) throws Refused {
    var found = planned.spec().projects().get(name);
    if (found == null) {
      throw new Refused("no project '" + name + "' in projects.yml (there are: "
          + String.join(", ", planned.spec().projects().keySet()) + ")");
    }
    return found;
  }

  private HostSpec hostOf(String project) throws Refused {
    return planned.spec().platform().hostOf(project(project));
  }

  /**
   * What runs a container: a slot (a container of the engine's) or a swarm service.
   *
   * @param label how its lines are marked: {@code web} or, during a switch, {@code web/green}
   */
  public record Running(
      ResourceId id, HostSpec host, String target, boolean service, String label, String name) {}

  /**
   * The environment a command means: the one given, or the project's only one.
   *
   * @throws Refused when the project is unknown, the environment is not one of its, or it has
   *     several and none was given
   */
  public static String environment(PlatformSpec spec, String project, Optional<String> given)
      throws Refused {
    var declared = spec.projects().get(project);
    if (declared == null) {
      throw new Refused("no project '" + project + "' in projects.yml (there are: "
          + String.join(", ", spec.projects().keySet()) + ")");
    }
    var environments = List.copyOf(declared.environmentNames());
    if (given.isPresent()) {
      if (!environments.contains(given.get())) {
        throw new Refused("project " + project + " has no environment '" + given.get()
            + "' (it has: " + String.join(", ", environments) + ")");
      }
      return given.get();
    }
    if (environments.size() > 1) {
      throw new Refused("project " + project + " has " + environments.size() + " environments ("
          + String.join(", ", environments) + "): say which with --env");
    }
    return environments.getFirst();
  }

  /**
   * What runs the named containers (all of the environment's when none is named), live slots
   * first; a second slot, during a switch, too.
   */
  public List<Running> running(String project, String environment, Optional<String> container)
      throws Refused {
    var declared = project(project).containersFor(environment);
    if (container.isPresent() && !declared.containsKey(container.get())) {
      throw new Refused("project " + project + " has no container '" + container.get()
          + "' (it has: " + String.join(", ", declared.keySet()) + ")");
    }
    var host = hostOf(project);
    var out = new ArrayList<Running>();
    for (var name : container.map(List::of).orElseGet(() -> List.copyOf(declared.keySet()))) {
      var id = ResourceId.container(project, environment, name);
      var service = ResourceId.service(project, environment, name);
      var found = planned.observed().get(service).map(ObservedService.class::cast);
      if (found.isPresent()) {
        out.add(new Running(
            service, host, found.get().serviceId(), true, name, found.get().name()));
        continue;
      }
      var live = planned.observed().get(id).map(ObservedContainer.class::cast);
      var others =
          planned.observed().strays().stream().filter(s -> s.id().equals(id)).toList();
      live.ifPresent(c -> out.add(new Running(
          id,
          host,
          c.containerId(),
          false,
          others.isEmpty() ? name : name + "/" + c.slot(),
          c.name())));
      others.forEach(c ->
          out.add(new Running(id, host, c.containerId(), false, name + "/" + c.slot(), c.name())));
    }
    if (out.isEmpty()) {
      throw new Refused(container.map(c -> c + " of ").orElse("nothing of ") + project + "/"
          + environment + " runs on host " + host.name() + " (reconcile apply starts it)");
    }
    return out;
  }

  /**
   * Reads the output of each, at once, each line to {@code lines} with its label; with follow,
   * until interrupted.
   */
  public void logs(
      List<Running> running, ContainerRuntime.LogQuery query, BiConsumer<Running, String> lines)
      throws ProviderException, InterruptedException {
    var runtime = runtime();
    if (running.size() == 1) {
      var one = running.getFirst();
      runtime.logs(one.host(), one.target(), one.service(), query, line -> lines.accept(one, line));
      return;
    }
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<Future<Object>>();
      for (var one : running) {
        futures.add(threads.submit(() -> {
          runtime.logs(one.host(), one.target(), one.service(), query, line -> {
            synchronized (lines) {
              lines.accept(one, line);
            }
          });
          return null;
        }));
      }
      for (var future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ProviderException p) {
            throw p;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          futures.forEach(f -> f.cancel(true));
          throw e;
        }
      }
    }
  }

  /**
   * The site's access log: its last {@code tail} lines, then, with follow, new ones as nginx writes
   * them (across a rotation) until interrupted. Each line as nginx wrote it (JSON).
   */
  public void accessLog(
      String project, String environment, int tail, boolean follow, Consumer<String> lines)
      throws ProviderException, Refused, IOException, InterruptedException {
    var host = hostOf(project);
    var door = new FrontDoors(planned.spec().platform(), planned.layout(), reconciliation.hosts())
        .of(host);
    var file = door.accessLog(ResourceId.site(project, environment));
    var argv = follow
        ? CommandLine.of("tail", "-n", String.valueOf(tail), "-F", file.toString())
        : CommandLine.of("tail", "-n", String.valueOf(tail), file.toString());
    if (!follow
        && !door.host()
            .list(AtomicFiles.parentOf(file))
            .contains(file.getFileName().toString())) {
      throw new Refused("no access log yet at " + file
          + (door.host().name().equals("local") ? "" : " on " + door.host().name())
          + ": the site logs there once it is applied and serves requests");
    }
    try (var pipe = door.host().open(argv);
        var reader = new BufferedReader(new InputStreamReader(pipe.in(), StandardCharsets.UTF_8))) {
      var reading = Thread.ofVirtual().start(() -> {
        try {
          for (String line; (line = reader.readLine()) != null; ) {
            lines.accept(line);
          }
        } catch (IOException e) {
          // closed: interrupted, or the host went away
        }
      });
      try {
        reading.join();
      } finally {
        pipe.close();
      }
    }
  }

  /** Which slot each loopback address of the environment's containers is, for the access log's upstreams. */
  public Map<String, String> slotsByAddress(String project, String environment) {
    var out = new LinkedHashMap<String, String>();
    Stream.concat(
            planned.observed().all(ObservedContainer.class), planned.observed().strays().stream())
        .filter(c -> c.id().environmentKey().equals(project + "/" + environment)
            && c.hostPort().isPresent())
        .forEach(c -> out.put(
            "127.0.0.1:" + c.hostPort().getAsInt(), c.id().name().orElseThrow() + "/" + c.slot()));
    return out;
  }

  /** Runs a command in a running slot with this process's terminal; its exit code. */
  public int exec(Running running, List<String> argv, boolean terminal)
      throws ProviderException, Refused, IOException, InterruptedException {
    if (running.service()) {
      throw new Refused(running.name()
          + " is a swarm service: its tasks run on the swarm's nodes; use "
          + "docker exec on the node of one of them (docker service ps " + running.name() + ")");
    }
    var host = reconciliation.hosts().get(running.host(), planned.layout().specDir());
    return host.interactive(
        runtime().execCommand(running.host(), running.target(), argv, terminal), terminal);
  }

  /**
   * Runs a command in a throwaway container of the container's declared image, env, volumes and
   * network, with this process's terminal, and removes it; its exit code.
   */
  public int run(
      String project, String environment, String container, List<String> argv, boolean terminal)
      throws ProviderException, Refused, IOException, InterruptedException {
    var id = ResourceId.container(project, environment, container);
    var desired = planned
        .desired()
        .get(id)
        .filter(DesiredContainer.class::isInstance)
        .map(DesiredContainer.class::cast)
        .orElseThrow(() ->
            new Refused(id + " runs as a swarm service here: reconcile run needs a Docker host"));
    var host = hostOf(project);
    var launch = new ContainerRuntime.SlotLaunch(
        desired, "run", OptionalInt.empty(), env(desired), planned.layout().owner(), false);
    var runtime = runtime();
    var made = runtime.createOneOff(host, launch, argv, terminal);
    try {
      var machine = reconciliation.hosts().get(host, planned.layout().specDir());
      return machine.interactive(runtime.attachCommand(host, made, terminal), terminal);
    } finally {
      runtime.remove(host, id, made);
    }
  }

  /** The container's env, resolved as apply resolves it (env_file, then the process's environment). */
  private Map<String, String> env(DesiredContainer container) throws Refused {
    var project = project(container.id().project());
    var lookup = Variables.fromFiles(planned.layout().specDir(), System.getenv())
        .lookupFor(project, container.id().environment());
    var out = new LinkedHashMap<String, String>();
    for (var entry : container.spec().env().entrySet()) {
      switch (Interpolation.resolve(entry.getValue().template(), lookup)) {
        case Interpolation.Resolved.Value v -> out.put(entry.getKey(), v.text());
        case Interpolation.Resolved.Missing m ->
          throw new Refused("env " + entry.getKey() + " of "
              + container.id() + " needs " + String.join(", ", m.names())
              + ", which has no value here (set it "
              + "in the environment or the project's env_file)");
      }
    }
    return out;
  }

  private ContainerRuntime runtime() {
    return Capabilities.find(reconciliation.providers(), ContainerRuntime.class)
        .orElseThrow(() -> new IllegalStateException("no installed provider runs containers"));
  }
}
