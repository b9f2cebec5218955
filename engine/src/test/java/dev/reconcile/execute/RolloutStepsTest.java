package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.Layout;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of a rollout and their undo where they live, with an in-memory runtime and front
 * door that record every call: what each step writes to the journal, and what the undo takes
 * back from it, in which order. (Real containers and nginx: ApplyIT, CrashMatrixIT.)
 */
class RolloutStepsTest {
  @TempDir
  Path dir;

  private static final ResourceId WEB = ResourceId.container("alpha", "production", "web");
  private static final ResourceId DB = ResourceId.container("alpha", "production", "db");
  private static final ResourceId SITE = ResourceId.site("alpha", "production");

  private final List<String> calls = new ArrayList<>();
  private final List<String> steps = new ArrayList<>();

  /** Runs what it is asked to and records it; health and a release's exit are set per test. */
  private final class Runtime implements ContainerRuntime {
    String health = "running";
    long releaseExit;

    @Override
    public boolean runs(HostSpec host) {
      return true;
    }

    @Override
    public RunningSlot start(HostSpec host, SlotLaunch launch) {
      var name =
          "alpha-" + launch.container().id().name().orElseThrow() + "-production-" + launch.slot();
      calls.add("start " + name);
      return new RunningSlot(
          launch.container().id(), "id-" + name, name, launch.slot(), launch.hostPort());
    }

    @Override
    public OneOff runOnce(
        HostSpec host,
        SlotLaunch launch,
        String purpose,
        List<String> command,
        Duration timeout,
        Consumer<String> output) {
      calls.add(purpose + " " + String.join(" ", command));
      output.accept("migrating");
      return new OneOff(releaseExit, Duration.ofMillis(1200), false, List.of("migrating", "boom"));
    }

    @Override
    public void moveNames(
        HostSpec host,
        String containerId,
        dev.reconcile.desired.Networking networking,
        boolean answer) {
      calls.add((answer ? "name " : "unname ") + containerId);
    }

    @Override
    public String health(HostSpec host, String containerId) {
      return health;
    }

    @Override
    public Outcome remove(HostSpec host, ResourceId id, String container) {
      calls.add("remove " + container);
      return new Outcome.Deleted(id, "container " + container);
    }

    @Override
    public void pull(
        HostSpec host,
        String image,
        Optional<Login> login,
        Duration limit,
        Consumer<String> progress) {
      throw new AssertionError("no pull expected");
    }

    @Override
    public Set<Integer> publishedPorts(HostSpec host) {
      return Set.of();
    }

    @Override
    public Outcome stop(HostSpec host, ResourceId id, String container) {
      calls.add("stop " + container);
      return new Outcome.Updated(id, "container " + container + " stopped");
    }

    @Override
    public Outcome startAgain(HostSpec host, ResourceId id, String container) {
      calls.add("start again " + container);
      return new Outcome.Updated(id, "container " + container + " started again");
    }
  }

  /** A front door whose install can be made to fail; everything else is recorded. */
  private final class Sites extends QuietSites {
    boolean installFails;

    @Override
    public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
      return "site " + upstreams;
    }

    @Override
    public void install(FrontDoor door, ResourceId site, String text) throws ProviderException {
      if (installFails) {
        throw new ProviderException.Transient("nginx", "the connection dropped", "", null);
      }
      calls.add("install " + text);
    }

    @Override
    public Outcome uninstall(FrontDoor door, ResourceId site) {
      calls.add("uninstall " + site);
      return new Outcome.Deleted(site, "site " + site);
    }

    @Override
    public void reload(FrontDoor door) {
      calls.add("reload");
    }
  }

  private final Runtime runtime = new Runtime();
  private final Sites sites = new Sites();

  private RolloutContext context(
      String yaml, List<? extends ObservedResource> running, ApplySettings settings) {
    PlatformSpec spec = SpecValidator.standard()
        .validate(yaml.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    DesiredState desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var observed = ObservedState.of(List.copyOf(running), List.of(), List.of());
    return new RolloutContext(
        spec,
        desired,
        observed,
        List.of(),
        runtime,
        sites,
        new FrontDoor(new LocalHost("local"), spec.platform().nginx(), dir, dir.resolve("sites")),
        new FrontDoors(
            spec.platform(), new Layout(dir, dir, dir.resolve("sites"), "owner"), Hosts.discover()),
        Hosts.discover(),
        dir,
        "owner",
        new StateHome.Local(dir),
        Variables.NONE,
        settings,
        RetryPolicy.DEFAULT,
        new FileLock(dir.resolve("front-door.lock")),
        Cancellation.none(),
        (id, what) -> steps.add(what));
  }

  private static ObservedContainer running(ResourceId id, String slot) {
    var name = "alpha-" + id.name().orElseThrow() + "-production-" + slot;
    return new ObservedContainer(
        id,
        "local",
        "id-" + name,
        name,
        slot,
        "example/" + id.name().orElseThrow() + ":1",
        "sha256:1",
        "running",
        Optional.empty(),
        OptionalInt.empty(),
        "old-hash",
        Optional.empty(),
        java.util.List.of("reconcile-egress"));
  }

  private FrontDoorAccess frontDoor(RolloutContext ctx, RolloutJournal journal) {
    return new FrontDoorAccess(
        ctx,
        journal,
        probes(ctx),
        ctx.door(),
        ctx.frontDoor(),
        () -> {},
        SwitchTogether.alone(),
        plan(ctx));
  }

  /** The plan of the test's state: what the steps read about its resources. */
  private static EnvironmentChanges plan(RolloutContext ctx) {
    return new EnvironmentChanges(
        Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes());
  }

  private Map<String, PortAllocator> ports(RolloutContext ctx) {
    return Map.of(
        ctx.hostOf(WEB).name(),
        new PortAllocator(
            new LocalHost("local"),
            ctx.spec().platform().ports(),
            Set.of(),
            ProcessLock.of(dir.resolve("ports.lock"))));
  }

  private static Probes probes(RolloutContext ctx) {
    return new Probes(ctx.runtime(), ctx.listener(), ctx.retry(), Waits.real(ctx.cancellation()));
  }

  private static final String WORKERS = """
      version: 1
      projects:
        alpha:
          domains: { production: alpha.test }
          containers:
            web: { image: "example/web:2", release: [migrate, up] }
            db: { image: "example/db:2", update: recreate }
      """;

  @Test
  void undo_givesNamesBack_startsWhatRecreateStopped_thenRemovesTheNewSlots() {
    var ctx = context(WORKERS, List.of(), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    var oldWeb = running(WEB, "blue");
    var oldDb = running(DB, "blue");
    journal.retired(oldWeb);
    journal.unnamed(oldWeb);
    journal.stopped(oldDb);
    journal.retired(oldDb);
    journal.started(new ContainerRuntime.RunningSlot(
        WEB, "id-new-web", "alpha-web-production-green", "green", OptionalInt.empty()));
    journal.started(new ContainerRuntime.RunningSlot(
        DB, "id-new-db", "alpha-db-production-green", "green", OptionalInt.empty()));

    var undo =
        new RolloutUndo(ctx, journal, probes(ctx), frontDoor(ctx, journal), plan(ctx)).run(SITE);

    assertThat(calls)
        .containsExactly(
            "name id-alpha-web-production-blue",
            "start again alpha-db-production-blue",
            "remove alpha-web-production-green",
            "remove alpha-db-production-green");
    assertThat(undo.complete()).isTrue();
    assertThat(undo.interrupted()).as("recreate interrupted traffic: said so").isTrue();
    assertThat(steps).allMatch(line -> line.startsWith("rolled back: "));
  }

  @Test
  void undo_whenThePreviousSiteCannotBePutBack_keepsTheNewSlotsNginxMayRouteTo() {
    var ctx = context(WORKERS, List.of(), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    journal.previousSite(Optional.of("the previous site"));
    journal.siteInstalled(true);
    journal.started(new ContainerRuntime.RunningSlot(
        WEB, "id-new-web", "alpha-web-production-green", "green", OptionalInt.of(20001)));
    sites.installFails = true;

    var undo =
        new RolloutUndo(ctx, journal, probes(ctx), frontDoor(ctx, journal), plan(ctx)).run(SITE);

    assertThat(calls).as("nothing removed").isEmpty();
    assertThat(undo.complete()).isFalse();
    assertThat(undo.notUndone())
        .containsExactly(
            "putting the previous site back: the connection dropped",
            "removing alpha-web-production-green: kept: nginx may still route to it, since the previous site could "
                + "not be put back; the next apply removes it");
  }

  @Test
  void undo_ofASiteThatWasNew_removesIt() {
    var ctx = context(WORKERS, List.of(), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    journal.siteInstalled(true);

    var undo =
        new RolloutUndo(ctx, journal, probes(ctx), frontDoor(ctx, journal), plan(ctx)).run(SITE);

    assertThat(calls).containsExactly("uninstall " + SITE, "reload");
    assertThat(undo.undone()).containsExactly("the new site was removed");
  }

  @Test
  void containerStep_aFailingRelease_stopsTheDeployBeforeTheNewVersionStarts() {
    runtime.releaseExit = 3;
    var ctx = context(
        WORKERS, List.of(running(WEB, "blue")), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    var change = Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes().stream()
        .filter(c -> c.id().equals(WEB))
        .findFirst()
        .orElseThrow();

    assertThatThrownBy(
            () -> new ContainerStep(ctx, journal, probes(ctx), Map.of(), plan(ctx)).roll(change))
        .isInstanceOf(StepFailed.class)
        .hasMessageContaining(
            "release command migrate up exited 3 after 1.2 s; the deploy stopped, the old "
                + "version serves; its last lines:\n  migrating\n  boom")
        .extracting(e -> ((StepFailed) e).step())
        .isEqualTo("release");
    assertThat(calls).containsExactly("release migrate up");
    assertThat(journal.started()).isEmpty();
    assertThat(journal.releases())
        .extracting(r -> r.component() + " " + r.exitCode())
        .containsExactly("web 3");
  }

  @Test
  void containerStep_releasesOff_runsNoneAndSaysWhy() throws Exception {
    var ctx = context(
        WORKERS,
        List.of(running(WEB, "blue")),
        new ApplySettings(Duration.ZERO, Duration.ZERO).withoutReleases());
    var journal = new RolloutJournal();
    var change = Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes().stream()
        .filter(c -> c.id().equals(WEB))
        .findFirst()
        .orElseThrow();
    var ports = ports(ctx);

    new ContainerStep(ctx, journal, probes(ctx), ports, plan(ctx)).roll(change);

    // A container nginx does not route to is recreated by default.
    assertThat(calls)
        .containsExactly("stop alpha-web-production-blue", "start alpha-web-production-green");
    assertThat(steps.getFirst())
        .startsWith("release command not run (migrate up): a rollback puts back");
    assertThat(journal.retired())
        .extracting(ObservedContainer::name)
        .containsExactly("alpha-web-production-blue");
  }

  @Test
  void containerStep_recreate_stopsTheOldOneFirst_andItDrainsNot() throws Exception {
    var ctx = context(
        WORKERS, List.of(running(DB, "blue")), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    var change = Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes().stream()
        .filter(c -> c.id().equals(DB))
        .findFirst()
        .orElseThrow();
    assertThat(change.action()).isEqualTo(Action.REPLACE);
    var ports = ports(ctx);

    new ContainerStep(ctx, journal, probes(ctx), ports, plan(ctx)).roll(change);

    assertThat(calls)
        .containsExactly("stop alpha-db-production-blue", "start alpha-db-production-green");
    assertThat(journal.stopped())
        .extracting(ObservedContainer::name)
        .containsExactly("alpha-db-production-blue");
    assertThat(journal.draining()).as("a stopped slot has nothing in flight").isEmpty();
  }

  @Test
  void containerStep_aDependencyThatDoesNotRun_failsBeforeAnythingStarts() {
    var ctx = context("""
        version: 1
        projects:
          alpha:
            domains: { production: alpha.test }
            containers:
              web: { image: "example/web:2", depends_on: [db] }
              db: { image: "example/db:2" }
        """, List.of(), new ApplySettings(Duration.ZERO, Duration.ZERO));
    var change = Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes().stream()
        .filter(c -> c.id().equals(WEB))
        .findFirst()
        .orElseThrow();

    assertThatThrownBy(
            () -> new ContainerStep(ctx, new RolloutJournal(), probes(ctx), Map.of(), plan(ctx))
                .awaitDependencies(change))
        .isInstanceOf(StepFailed.class)
        .hasMessageContaining("db does not run, and web depends on it");
    assertThat(calls).isEmpty();
  }

  private static final String ADOPTING = """
      version: 1
      platform:
        nginx: { mode: system, conf_dir: /etc/nginx/conf.d }
      projects:
        alpha:
          domains: { production: alpha.test }
          containers:
            web: { image: "example/web:2", port: 8000 }
            db: { image: "example/db:2", volumes: { data: /data }, update: recreate }
          environments:
            production:
              adopt:
                compose: alpha
                volumes: { data: alpha_data }
                site: %s
      """;

  private static final ResourceId ADOPTION = ResourceId.adoption("alpha", "production");

  private static ObservedAdoption composeRunning() {
    return new ObservedAdoption(
        ADOPTION,
        "local",
        List.of(
            new ObservedAdoption.Legacy("alpha_db_1", "id-db-1", true, List.of("alpha_data"), "db"),
            new ObservedAdoption.Legacy("alpha_web_1", "id-web-1", true, List.of(), "web")));
  }

  @Test
  void adoption_stopsTheWriterOfATakenOverVolumeFirst_theRestAfterTheSwitch_recordingEach()
      throws Exception {
    var ctx = context(
        ADOPTING.formatted(dir.resolve("legacy.conf")),
        List.of(composeRunning()),
        new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    var step = new AdoptionStep(ctx, journal, plan(ctx), SITE, ctx.door());
    var record = AdoptionStep.keptIn(ctx.door(), ADOPTION).resolve(AdoptionStep.STOPPED);

    step.stopWriters();

    assertThat(calls).containsExactly("stop alpha_db_1");
    assertThat(journal.adoptedStopped()).extracting(l -> l.name()).containsExactly("alpha_db_1");
    assertThat(journal.adoptedToStop()).containsExactly("alpha_web_1");
    assertThat(Files.readString(record)).isEqualTo("alpha_db_1\n");

    step.stopRest();

    assertThat(calls).containsExactly("stop alpha_db_1", "stop alpha_web_1");
    assertThat(Files.readString(record)).isEqualTo("alpha_db_1\nalpha_web_1\n");
  }

  @Test
  void adoption_takesTheSiteFileOver_keepingACopyAndWhereItWas() throws Exception {
    var legacy =
        Files.writeString(dir.resolve("legacy.conf"), "server { server_name alpha.test; }");
    var ctx = context(
        ADOPTING.formatted(legacy),
        List.of(composeRunning()),
        new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();

    new AdoptionStep(ctx, journal, plan(ctx), SITE, ctx.door()).takeOverSite();

    var kept = AdoptionStep.keptIn(ctx.door(), ADOPTION);
    assertThat(legacy).doesNotExist();
    assertThat(kept.resolve("legacy.conf")).hasContent("server { server_name alpha.test; }");
    assertThat(kept.resolve(AdoptionStep.ORIGIN)).hasContent(legacy + "\n");
    assertThat(journal.siteTakenOver()).isPresent();
  }

  @Test
  void undo_ofAnAdoption_putsTheSiteFileBack_andStartsTheOldWriterOnlyOnceTheNewOneIsGone()
      throws Exception {
    var legacy = dir.resolve("legacy.conf");
    var ctx = context(
        ADOPTING.formatted(legacy),
        List.of(composeRunning()),
        new ApplySettings(Duration.ZERO, Duration.ZERO));
    var journal = new RolloutJournal();
    journal.adoptedStopped(composeRunning().containers().getFirst());
    journal.started(new ContainerRuntime.RunningSlot(
        DB, "id-new-db", "alpha-db-production-blue", "blue", OptionalInt.empty()));
    journal.siteTakenOver(
        new RolloutJournal.TakenOver(legacy, "the old site", dir.resolve("copy")));
    journal.siteInstalled(true);

    var undo =
        new RolloutUndo(ctx, journal, probes(ctx), frontDoor(ctx, journal), plan(ctx)).run(SITE);

    assertThat(legacy).hasContent("the old site");
    assertThat(calls)
        .containsExactly(
            "uninstall " + SITE,
            "reload",
            "remove alpha-db-production-blue",
            "start again alpha_db_1");
    assertThat(undo.complete()).isTrue();
  }

  /** The apply took compose over: its containers stopped and recorded, the site file kept. */
  private RolloutContext adopted(Path legacy) throws Exception {
    var ctx = context(
        ADOPTING.formatted(legacy),
        List.of(
            new ObservedAdoption(
                ADOPTION,
                "local",
                List.of(
                    new ObservedAdoption.Legacy(
                        "alpha_db_1", "id-db-1", false, List.of("alpha_data"), "db"),
                    new ObservedAdoption.Legacy(
                        "alpha_web_1", "id-web-1", false, List.of(), "web"))),
            running(WEB, "blue"),
            running(DB, "blue")),
        new ApplySettings(Duration.ZERO, Duration.ZERO));
    var kept = Files.createDirectories(AdoptionStep.keptIn(ctx.door(), ADOPTION));
    Files.writeString(kept.resolve(AdoptionStep.STOPPED), "alpha_db_1\nalpha_web_1\n");
    Files.writeString(kept.resolve(AdoptionStep.ORIGIN), legacy + "\n");
    Files.writeString(kept.resolve("legacy.conf"), "the old site");
    return ctx;
  }

  @Test
  void adoptUndo_oneWriterPerFolder_theirsBackBeforeTheSite_oursStoppedAndKept() throws Exception {
    var legacy = dir.resolve("legacy.conf");
    var ctx = adopted(legacy);

    var result = new AdoptionUndo(
            ctx, Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT), ADOPTION)
        .run();

    assertThat(result.failure()).isEmpty();
    assertThat(calls)
        .containsExactly(
            "stop alpha-db-production-blue",
            "start again alpha_db_1",
            "start again alpha_web_1",
            "uninstall " + SITE,
            "reload",
            "stop alpha-web-production-blue");
    assertThat(legacy).hasContent("the old site");
    assertThat(AdoptionStep.keptIn(ctx.door(), ADOPTION)).doesNotExist();
  }

  @Test
  void adoptUndo_whoseOldDatabaseDoesNotComeUp_stopsThere_sayingWhatWasDone() throws Exception {
    var legacy = dir.resolve("legacy.conf");
    var ctx = adopted(legacy);
    runtime.health = "unhealthy";

    var result = new AdoptionUndo(
            ctx, Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT), ADOPTION)
        .run();

    assertThat(result.failure())
        .hasValueSatisfying(f -> assertThat(f.getMessage())
            .contains("alpha_db_1 was started again and is unhealthy ('docker logs alpha_db_1'"));
    assertThat(result.done())
        .containsExactly(
            "container alpha-db-production-blue stopped (kept)",
            "container alpha_db_1 started again");
    assertThat(legacy).as("the site stays reconcile's").doesNotExist();
  }

  @Test
  void rollout_takingComposeOver_startsBeside_movesTheSiteFileAtTheSwitch_thenStopsTheOld()
      throws Exception {
    runtime.health = "healthy";
    var legacy =
        Files.writeString(dir.resolve("legacy.conf"), "server { server_name alpha.test; }");
    var ctx = context(
        """
        version: 1
        platform:
          nginx: { mode: system, conf_dir: /etc/nginx/conf.d }
        projects:
          alpha:
            domains: { production: alpha.test }
            containers:
              web: { image: "example/web:2", port: 8000, health: { command: [ok] } }
            environments:
              production:
                adopt: { compose: alpha, site: %s }
        """.formatted(legacy),
        List.of(new ObservedAdoption(
            ADOPTION,
            "local",
            List.of(
                new ObservedAdoption.Legacy("alpha_web_1", "id-web-1", true, List.of(), "web")))),
        new ApplySettings(Duration.ZERO, Duration.ZERO));
    var changes =
        Differ.diff(ctx.desired(), ctx.observed(), DiffOptions.DEFAULT).changes();

    new EnvironmentRollout(ctx, changes, ports(ctx)).run();

    assertThat(calls).hasSize(4);
    assertThat(calls.get(0)).isEqualTo("start alpha-web-production-blue");
    assertThat(calls.get(1)).startsWith("install site {web=127.0.0.1:");
    assertThat(calls.subList(2, 4)).containsExactly("reload", "stop alpha_web_1");
    assertThat(legacy).as("moved aside at the switch").doesNotExist();
    assertThat(steps)
        .contains("took over the site file " + legacy + " (kept as "
            + AdoptionStep.keptIn(ctx.door(), ADOPTION).resolve("legacy.conf") + ")");
  }
}
