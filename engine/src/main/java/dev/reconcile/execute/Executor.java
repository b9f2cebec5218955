package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.history.Snapshot;
import dev.reconcile.model.HostSpec;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.store.RestoreJournal;
import dev.reconcile.util.Checks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The entry point of the execute arrow: runs a plan, one project environment after another.
 * A failing environment is rolled back and reported; the others still deploy.
 */
public final class Executor {
  private final RolloutContext ctx;

  /**
   * Each host's published ports, asked for when pre-flight begins: listing every container of a
   * busy host takes ~0.1 s, which then passes beside pre-flight's checks and the locks instead of
   * before the first container is created (a heal's path to serving again). A listing is as stale
   * at the last start of a long apply as it was before; the allocator's bind check and its retry
   * on a taken port cover both.
   */
  private final Map<String, CompletableFuture<Set<Integer>>> published = new ConcurrentHashMap<>();

  Executor(RolloutContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Wires an executor for a plan made by {@link Reconciliation}: the container runtime and site
   * control are the providers that offer those abilities, found once, here.
   */
  public static Executor forPlan(
      Reconciliation.Outcome.Planned planned,
      List<Provider> providers,
      Hosts hosts,
      Map<String, String> processEnv,
      ApplySettings settings,
      Cancellation cancellation,
      ExecutionListener listener)
      throws ProviderException {
    var runtime = Capabilities.find(providers, ContainerRuntime.class)
        .orElseThrow(() -> new IllegalStateException("no provider can run containers"));
    var sites = Capabilities.all(providers, SiteControl.class).stream()
        .filter(s -> s.controls(planned.spec().platform().nginx()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no provider controls nginx"));
    var doors = new FrontDoors(planned.spec().platform(), planned.layout(), hosts);
    return new Executor(new RolloutContext(
        planned.spec(),
        planned.desired(),
        planned.observed(),
        providers,
        runtime,
        sites,
        doors.local(),
        doors,
        hosts,
        planned.layout().specDir(),
        planned.layout().owner(),
        planned.layout().home(),
        Variables.fromFiles(planned.layout().specDir(), processEnv)
            .withSecrets(planned.layout().secrets()),
        settings,
        RetryPolicy.DEFAULT,
        new FileLock(planned.layout().stateDir().resolve("locks/front-door.lock")),
        cancellation,
        listener));
  }

  /**
   * Puts back what an environment of the plan took over (its plan carries what runs now): see
   * {@link AdoptionUndo}. The caller holds the environment's lock.
   */
  public AdoptionUndo.Result undoAdoption(Plan plan, ResourceId adoption)
      throws InterruptedException {
    return new AdoptionUndo(ctx, plan, adoption).run();
  }

  /** What happened to one environment. */
  public sealed interface EnvironmentResult {
    String environment();

    /** The name of the host (platform.hosts) the environment runs on. */
    String host();

    /** The release commands that ran, in order (a failed one ends the rollout). */
    List<Snapshot.Release> releases();

    record Applied(String environment, String host, int changes, List<Snapshot.Release> releases)
        implements EnvironmentResult {}

    record Failed(
        String environment, String host, StepFailed failure, List<Snapshot.Release> releases)
        implements EnvironmentResult {
      public Failed(String environment, String host, StepFailed failure) {
        this(environment, host, failure, List.of());
      }
    }
  }

  /**
   * Pre-flight, before anything changes: free disk, a valid nginx configuration, a value for
   * every variable, and every image the plan starts on its host (pulled from platform.registry
   * when it holds it, and only when nothing else is wrong: a pull may take minutes). Each
   * problem is one line for the user.
   */
  public List<String> preflight(Plan plan) throws InterruptedException {
    byEnvironment(plan).keySet().stream()
        .map(this::hostOf)
        .distinct()
        .map(name -> ctx.spec().platform().hosts().get(name))
        .filter(host -> host != null && ctx.runtime().runs(host))
        .forEach(this::publishedPorts);
    var toStart = new ArrayList<DesiredContainer>(plan.changes().stream()
        .filter(c -> c.id().kind() == ResourceKind.CONTAINER)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.REPLACE)
        .map(c -> c.declared(DesiredContainer.class))
        .toList());
    // A service's tasks start from the same declaration: its env and image must be there too.
    plan.changes().stream()
        .filter(c -> c.id().kind() == ResourceKind.SERVICE)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE)
        .map(c -> c.declared(DesiredService.class).container())
        .forEach(toStart::add);
    var problems =
        new ArrayList<String>(Preflight.disk(ctx.door().host(), ctx.door().stateDir()));
    for (var host : hostsOf(toStart)) {
      try {
        problems.addAll(Preflight.disk(ctx.machine(host), Preflight.DOCKER_DATA));
      } catch (ProviderException e) {
        problems.add(e.getMessage());
      }
    }
    for (var door : doorsOf(plan)) {
      try {
        if (ctx.sites().checkInstalled(door) instanceof SiteControl.Verdict.Rejected r) {
          problems.add("the nginx configuration as installed now" + on(door)
              + " fails nginx -t (fix it " + "first, or the reload would fail): " + r.output());
        }
      } catch (ProviderException e) {
        problems.add(e.getMessage());
      }
    }
    problems.addAll(Firewall.check(ctx, plan));
    try {
      if (!ctx.home().writable()) {
        problems.add("the state folder " + ctx.home().describe(ctx.home().dir())
            + " cannot be written by the "
            + "account this run uses there: apply, rollback and backup need one that can (plan, drift, history "
            + "and status do not); see docs/teams.md");
      }
    } catch (IOException e) {
      problems.add("cannot tell whether the state folder "
          + ctx.home().describe(ctx.home().dir()) + " can be written: " + e.getMessage());
    }
    // A restore that did not finish may have left a volume half written: nothing starts on it.
    var restores = new RestoreJournal(ctx.home());
    for (var key : plan.changes().stream()
        .filter(c -> c.action().isChange())
        .map(c -> c.id().environmentKey())
        .distinct()
        .toList()) {
      try {
        restores
            .unfinished(key)
            .filter(RestoreJournal.Entry::halfWritten)
            .ifPresent(e -> problems.add(e.describe(key)));
      } catch (IOException e) {
        problems.add(key + ": cannot read its restore journal: " + e.getMessage());
      }
    }
    plan.changes().stream()
        // A site going away (its project or environment no longer declared) has no snippet.
        .filter(c -> c.id().kind() == ResourceKind.SITE
            && c.action().isChange()
            && c.action() != Action.DELETE)
        .map(c -> c.declared(DesiredSite.class))
        .flatMap(s -> s.snippet().stream())
        .filter(s -> s.text().isEmpty())
        .distinct()
        .forEach(
            s -> problems.add("the nginx snippet " + s.path() + " (nginx_snippet) cannot be read"));
    problems.addAll(Environment.missing(ctx, toStart));
    problems.addAll(ImagePulls.ensure(ctx, toStart, problems.isEmpty()));
    return problems;
  }

  /**
   * Runs the environments with changes, independent ones in parallel: at most {@link
   * #PER_HOST} at a time on one host. Results come in plan order.
   */
  public List<EnvironmentResult> execute(Plan plan) throws InterruptedException {
    var ports = new HashMap<String, PortAllocator>();
    var portLock = ProcessLock.of(ctx.door().stateDir().resolve("locks/ports.lock"));
    // A host that cannot be reached fails its own environments only.
    var faults = new HashMap<String, ProviderException>();
    var needed =
        byEnvironment(plan).keySet().stream().map(this::hostOf).collect(Collectors.toSet());
    for (var host : ctx.spec().platform().hosts().values()) {
      if (needed.contains(host.name()) && ctx.runtime().runs(host)) {
        try {
          ports.put(
              host.name(),
              new PortAllocator(
                  ctx.machine(host),
                  ctx.spec().platform().ports(),
                  awaitPublished(host),
                  portLock));
        } catch (ProviderException e) {
          faults.put(host.name(), e);
        }
      }
    }
    // The environments of each front door switch it together: one batch, one reload.
    var together = new HashMap<String, SwitchTogether>();
    byEnvironment(plan).keySet().stream()
        .filter(e -> !faults.containsKey(hostOf(e)))
        .map(this::doorKey)
        .collect(Collectors.groupingBy(d -> d, Collectors.counting()))
        .forEach((door, count) ->
            together.put(door, SwitchTogether.of(count.intValue(), ctx.cancellation())));
    try {
      return run(plan, ports, faults, together);
    } finally {
      together.values().forEach(SwitchTogether::close);
    }
  }

  private CompletableFuture<Set<Integer>> publishedPorts(HostSpec host) {
    return published.computeIfAbsent(
        host.name(),
        name -> CompletableFuture.supplyAsync(
            () -> {
              try {
                return ctx.runtime().publishedPorts(host);
              } catch (ProviderException e) {
                throw new CompletionException(e);
              }
            },
            task -> Thread.ofPlatform().daemon().name("published-ports").start(task)));
  }

  private Set<Integer> awaitPublished(HostSpec host)
      throws ProviderException, InterruptedException {
    try {
      return publishedPorts(host).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProviderException fault) {
        throw fault;
      }
      throw new IllegalStateException("listing the published ports failed", e.getCause());
    }
  }

  private List<EnvironmentResult> run(
      Plan plan,
      Map<String, PortAllocator> ports,
      Map<String, ProviderException> faults,
      Map<String, SwitchTogether> together)
      throws InterruptedException {
    var slots = new ConcurrentHashMap<String, Semaphore>();
    // Platform threads: see ObservedStateCollector (virtual threads' I/O cost 300 ms at exit).
    try (var pool =
        Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
      var futures = new ArrayList<Future<EnvironmentResult>>();
      for (var entry : byEnvironment(plan).entrySet()) {
        var fault = faults.get(hostOf(entry.getKey()));
        if (fault != null) {
          futures.add(
              CompletableFuture.completedFuture(failed(entry.getKey(), entry.getValue(), fault)));
          continue;
        }
        var gate = slots.computeIfAbsent(hostOf(entry.getKey()), h -> new Semaphore(PER_HOST));
        var party = Checks.present(
                together.get(doorKey(entry.getKey())), "the switch of %s", entry.getKey())
            .party();
        futures.add(pool.submit(() -> {
          gate.acquire();
          var released = new AtomicBoolean();
          // Given back once the environment only waits (served, bake, drain), so the next ones
          // start their containers meanwhile instead of queueing behind a bake.
          Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
              gate.release();
            }
          };
          try {
            return rollOut(entry.getKey(), entry.getValue(), ports, release, party);
          } finally {
            party.leave();
            release.run();
          }
        }));
      }
      var results = new ArrayList<EnvironmentResult>();
      for (var future : futures) {
        results.add(await(future));
      }
      return results;
    }
  }

  /** This machine's front door, and that of every server with a change. */
  private List<FrontDoor> doorsOf(Plan plan) {
    var out = new LinkedHashMap<String, FrontDoor>();
    out.put(ctx.door().host().name(), ctx.door());
    plan.changes().stream()
        .filter(c -> c.action().isChange())
        .map(c -> ctx.spec().projects().get(c.id().project()))
        .filter(Objects::nonNull)
        .map(p -> ctx.spec().platform().hosts().get(p.host()))
        .filter(h -> h instanceof HostSpec.Ssh)
        .distinct()
        .forEach(h -> {
          try {
            var door = ctx.doorOf(h);
            out.putIfAbsent(door.host().name(), door);
          } catch (ProviderException e) {
            // Unreachable: its environments fail with this fault when they start.
          }
        });
    return List.copyOf(out.values());
  }

  private static String on(FrontDoor door) {
    return door.host().name().equals(Hosts.THIS_MACHINE)
        ? ""
        : " on " + door.host().name();
  }

  /** The distinct hosts the containers run on. */
  private Set<HostSpec> hostsOf(List<DesiredContainer> containers) {
    var out = new LinkedHashSet<HostSpec>();
    for (var c : containers) {
      var host = ctx.spec().platform().hosts().get(c.host());
      if (host != null) {
        out.add(host);
      }
    }
    return out;
  }

  /**
   * Environments rolled out at once on one host: enough to overlap health waits, few enough for a
   * small VPS. Counts only the busy part (containers starting, health, smoke, the switch); an
   * environment in its bake and drain only waits, and lets the next one start.
   */
  public static final int PER_HOST = 4;

  private EnvironmentResult rollOut(
      String environment,
      List<Change> changes,
      Map<String, PortAllocator> ports,
      Runnable waiting,
      SwitchTogether.Party together)
      throws InterruptedException {
    var rollout = new EnvironmentRollout(ctx, changes, ports, waiting, together);
    try {
      rollout.run();
      return new EnvironmentResult.Applied(
          environment, hostOf(environment), changes.size(), rollout.releases());
    } catch (StepFailed e) {
      return new EnvironmentResult.Failed(environment, hostOf(environment), e, rollout.releases());
    }
  }

  private EnvironmentResult failed(String environment, List<Change> changes, ProviderException e) {
    return new EnvironmentResult.Failed(
        environment, hostOf(environment), StepFailed.of(changes.getFirst().id(), e));
  }

  /**
   * Which front door serves an environment: a server over SSH has its own, every engine of this
   * machine shares this machine's (RolloutContext.doorOf).
   */
  private String doorKey(String environment) {
    var host = ctx.spec().platform().hosts().get(hostOf(environment));
    return host instanceof HostSpec.Ssh ? host.name() : "";
  }

  private String hostOf(String environment) {
    var project = ctx.spec().projects().get(environment.split("/")[0]);
    if (project != null) {
      return project.host();
    }
    // A project taken out of the spec: where its remains were found.
    return ctx.foundOn(environment).orElse("");
  }

  private static EnvironmentResult await(Future<EnvironmentResult> future)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof InterruptedException i) {
        throw i;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The changes of each environment that has any, in plan order. */
  private static Map<String, List<Change>> byEnvironment(Plan plan) {
    var out = new LinkedHashMap<String, List<Change>>();
    plan.changes()
        .forEach(c ->
            out.computeIfAbsent(c.id().environmentKey(), k -> new ArrayList<>()).add(c));
    out.values().removeIf(changes -> changes.stream().noneMatch(c -> c.action().isChange()));
    return out;
  }
}
