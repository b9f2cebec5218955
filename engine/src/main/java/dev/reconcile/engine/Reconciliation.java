package dev.reconcile.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Variables;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.plan.HeldEnvironment;
import dev.reconcile.plan.Plan;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.rollback.Hold;
import dev.reconcile.rollback.Holds;
import dev.reconcile.rollback.SnapshotState;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Texts;
import dev.reconcile.validate.SpecValidator;
import dev.reconcile.validate.ValidatedSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of planning: {@code projects.yml -> Plan}. Reads files and observes hosts;
 * changes nothing.
 */
public final class Reconciliation implements AutoCloseable {
  private final SpecValidator validator;
  private final ObservedStateCollector collector;
  private final Map<String, String> processEnv;

  public Reconciliation(
      SpecValidator validator, ObservedStateCollector collector, Map<String, String> processEnv) {
    this.validator = validator;
    this.collector = collector;
    this.processEnv = Map.copyOf(processEnv);
  }

  /**
   * Validated specs by the SHA-256 of their bytes: a controller plans the same unchanged file
   * again and again, and parsing, the schema and the rules are the cost of each plan it spares.
   * Off unless {@link #cachingSpecs}; a CLI run validates once anyway.
   */
  private @Nullable Cache<String, ValidatedSpec> specs;

  /** Keeps validated specs by content hash from now on (a controller's loop). */
  public Reconciliation cachingSpecs() {
    specs = Caffeine.newBuilder().maximumSize(8).build();
    return this;
  }

  private ValidatedSpec validate(Path specFile, String shownAs) {
    if (specs == null) {
      return validator.validate(specFile, shownAs);
    }
    try {
      if (!Files.isRegularFile(specFile) || Files.size(specFile) > (4 << 20)) {
        return validator.validate(specFile, shownAs);
      }
      var bytes = Files.readAllBytes(specFile);
      var key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + " "
          + shownAs;
      return specs.get(key, k -> validator.validate(bytes, shownAs));
    } catch (IOException | NoSuchAlgorithmException e) {
      return validator.validate(specFile, shownAs);
    }
  }

  public static Reconciliation standard() {
    return standard(System.getenv());
  }

  /** The same, for a run whose variables are {@code env} (the controller running a client's). */
  public static Reconciliation standard(Map<String, String> env) {
    return new Reconciliation(SpecValidator.standard(), ObservedStateCollector.discover(), env);
  }

  /** The providers planning observes with; the executor acts through the same instances. */
  public List<Provider> providers() {
    return collector.providers();
  }

  /** The hosts planning connected to; the executor acts through the same connections. */
  public Hosts hosts() {
    return collector.hosts();
  }

  /** Observes the same targets again, e.g. after an apply, to record what now runs. */
  public ObservedState observeAgain(Outcome.Planned planned) throws ProviderException {
    // A server not reached would look as if nothing ran there: a snapshot of that would lie. Once
    // more (a dropped connection is made anew at its next use), then it is an error.
    for (var attempt = 1; ; attempt++) {
      var observed =
          collector.observe(planned.spec().platform(), planned.layout(), planned.desired());
      var missed = new TreeMap<>(observed.unreachable());
      missed.keySet().removeAll(planned.unreachable().keySet());
      if (missed.isEmpty()) {
        return observed.state();
      }
      if (attempt == 2) {
        var first = missed.firstEntry();
        throw new ProviderException.Transient(
            "host " + first.getKey(),
            "was not reached to see what runs " + "after the apply: " + first.getValue(),
            "the next apply records what runs then",
            null);
      }
    }
  }

  /** What planning came to. */
  public sealed interface Outcome {
    Diagnostics diagnostics();

    /** The spec has errors: nothing was observed. */
    record Invalid(Diagnostics diagnostics) implements Outcome {}

    /** A target could not be observed. */
    record Unobservable(Diagnostics diagnostics, ProviderException fault) implements Outcome {}

    /**
     * @param unreachable servers that could not be reached or observed, with why: their projects
     *     are left out of the plan, so the plan is not the whole of projects.yml
     */
    record Planned(
        Diagnostics diagnostics,
        PlatformSpec spec,
        Layout layout,
        DesiredState desired,
        ObservedState observed,
        Plan plan,
        Map<String, String> unreachable)
        implements Outcome {
      public Planned {
        unreachable = Map.copyOf(unreachable);
      }

      /** The same, with another plan (a saved one being applied). */
      public Planned withPlan(Plan other) {
        return new Planned(diagnostics, spec, layout, desired, observed, other, unreachable);
      }

      /** How many changes each host gets, by the host's name, in name order. */
      public Map<String, Long> changesByHost() {
        var out = new TreeMap<String, Long>();
        plan.changes().stream().filter(c -> c.action().isChange()).forEach(c -> {
          var project = spec.projects().get(c.id().project());
          out.merge(project == null ? "(removed project)" : project.host(), 1L, Long::sum);
        });
        return out;
      }

      /** The projects left out because their server was not reached, by server. */
      public Map<String, List<String>> leftOut() {
        var out = new TreeMap<String, List<String>>();
        unreachable
            .keySet()
            .forEach(host -> out.put(
                host,
                spec.projects().values().stream()
                    .filter(p -> p.host().equals(host))
                    .map(p -> p.name())
                    .sorted()
                    .toList()));
        return out;
      }
    }
  }

  public Outcome plan(
      Path specFile, String shownAs, SelectionRequest request, DiffOptions options) {
    var validated = validate(specFile, shownAs);
    if (validated.spec().isEmpty()) {
      return new Outcome.Invalid(validated.diagnostics());
    }
    var spec = validated.spec().get();
    var checked = request.check(spec, shownAs);
    if (checked.hasErrors() && !(request.removedToo() && request.names())) {
      return new Outcome.Invalid(validated.diagnostics().plus(checked));
    }
    Layout layout;
    try {
      layout = layout(specFile, spec);
      // A name not in the spec may be of an environment taken out of it: its history says so.
      if (checked.hasErrors()) {
        checked = request.check(
            spec, shownAs, layout.snapshots(spec.platform().history()).environments());
      }
    } catch (UncheckedIOException | IOException e) {
      return new Outcome.Invalid(validated
          .diagnostics()
          .plus(checked)
          .plus(Diagnostics.of(
              Diagnostic.error(SourcePosition.startOf(shownAs), "", Texts.messageOf(e)))));
    }
    var diagnostics = validated.diagnostics().plus(checked);
    if (diagnostics.hasErrors()) {
      return new Outcome.Invalid(diagnostics);
    }
    var variables = Variables.fromFiles(layout.specDir(), processEnv).withSecrets(layout.secrets());
    var declared = new Expander(variables).expand(spec, request.selection());
    try {
      var holds = Holds.of(layout.home(), spec, declared);
      var store = layout.snapshots(spec.platform().history());
      var observation = holds.isEmpty()
          ? observe(spec, layout, declared)
          : observeSnapshots(
              spec, layout, images -> Holds.keep(declared, holds, store, spec, variables, images));
      var desired = observation.desired();
      var observed = observation.observed();
      var plan = Differ.diff(desired, observed, options);
      if (!holds.isEmpty()) {
        plan = plan.withHolds(heldBack(
            holds,
            Differ.diff(reachable(spec, declared, observation.unreachable()), observed, options)));
      }
      plan = plan.withLineages(lineages(plan, store));
      return new Outcome.Planned(
          diagnostics, spec, layout, desired, observed, plan, observation.unreachable());
    } catch (ProviderException e) {
      return new Outcome.Unobservable(diagnostics, e);
    } catch (SnapshotState.Refused | IOException e) {
      return new Outcome.Invalid(diagnostics.plus(Diagnostics.of(
          Diagnostic.error(SourcePosition.startOf(shownAs), "", Texts.messageOf(e)))));
    }
  }

  /**
   * Where this projects.yml keeps things, its state on the first server over SSH it declares
   * (read over this run's connection), else beside projects.yml.
   *
   * @throws java.io.UncheckedIOException when the state cannot be read (the server not reached)
   */
  public Layout layout(Path specFile, PlatformSpec spec) {
    collector.hosts().useSpecDir(AtomicFiles.parentOf(specFile.toAbsolutePath()));
    return Layout.of(specFile, spec.platform(), collector.hosts());
  }

  /** Where the history of each environment with a change stands now. */
  public static Map<String, Plan.Lineage> lineages(Plan plan, SnapshotStore store)
      throws IOException {
    var out = new TreeMap<String, Plan.Lineage>();
    for (var key : plan.changes().stream()
        .filter(c -> c.action().isChange())
        .map(c -> c.id().environmentKey())
        .distinct()
        .toList()) {
      var parts = key.split("/");
      store
          .latest(parts[0], parts[1])
          .ifPresent(s -> out.put(key, new Plan.Lineage(s.lineage(), s.serial())));
    }
    return out;
  }

  /** A desired state (without the projects of unreachable servers) and what was observed for it. */
  private record Observation(
      DesiredState desired, ObservedState observed, Map<String, String> unreachable) {}

  private Observation observe(PlatformSpec spec, Layout layout, DesiredState desired)
      throws ProviderException {
    var observed = collector.observe(spec.platform(), layout, desired);
    return new Observation(
        reachable(spec, desired, observed.unreachable()), observed.state(), observed.unreachable());
  }

  /**
   * The desired state without the projects of servers not reached: nothing is known of what runs
   * there, so nothing may be planned there. What runs elsewhere is planned as usual.
   */
  private static DesiredState reachable(
      PlatformSpec spec, DesiredState desired, Map<String, String> unreachable) {
    if (unreachable.isEmpty()) {
      return desired;
    }
    var kept = new LinkedHashMap<ResourceId, DesiredResource>();
    desired.resources().forEach((id, resource) -> {
      var project = spec.projects().get(id.project());
      if (project == null || !unreachable.containsKey(project.host())) {
        kept.put(id, resource);
      }
    });
    return new DesiredState(kept, desired.selection());
  }

  /**
   * Observes a desired state built from snapshots: first with their image references, to learn
   * where those point now; then, where a tag moved, pinned to the snapshot's image id. A container
   * whose tag did not move thus stays as it is.
   */
  private Observation observeSnapshots(PlatformSpec spec, Layout layout, SnapshotState.Build build)
      throws ProviderException, SnapshotState.Refused, IOException {
    return observeSnapshots(spec, layout, build, null);
  }

  /**
   * As above; {@code known}, an observation just made for another desired state, serves the first
   * step when observing would ask the same (a heal back to the snapshot projects.yml matches: the
   * controller's plan observed the host a moment before).
   */
  private Observation observeSnapshots(
      PlatformSpec spec, Layout layout, SnapshotState.Build build, @Nullable Observation known)
      throws ProviderException, SnapshotState.Refused, IOException {
    var byReferences = build.with(SnapshotState.Images.REFERENCES);
    var byReference = known != null
            && known.unreachable().isEmpty()
            && ObservedStateCollector.observesAlike(byReferences, known.desired())
        ? new Observation(byReferences, known.observed(), known.unreachable())
        : observe(spec, layout, byReferences);
    var resolved = build.with(byReference.observed()::imageIdOf);
    return resolved.digest().equals(byReference.desired().digest())
        ? byReference
        : observe(spec, layout, resolved);
  }

  /** What projects.yml would change in each held environment: the plan shows it held back. */
  private static List<HeldEnvironment> heldBack(List<Hold> holds, Plan unheld) {
    return holds.stream()
        .map(h -> new HeldEnvironment(
            h.environmentKey(),
            h.serial(),
            h.by(),
            h.since(),
            unheld.changes().stream()
                .filter(c ->
                    c.action().isChange() && c.id().environmentKey().equals(h.environmentKey()))
                .map(c -> c.action().symbol().strip() + " " + c.label())
                .toList()))
        .toList();
  }

  /**
   * A plan towards another desired state than projects.yml's (a snapshot being rolled back to, a
   * heal): observed afresh on the same targets, unless the base plan's observation, made a moment
   * before, asked the same.
   */
  public Outcome planTowards(Outcome.Planned base, SnapshotState.Build desired, DiffOptions options)
      throws SnapshotState.Refused, IOException {
    try {
      var observation = observeSnapshots(
          base.spec(),
          base.layout(),
          desired,
          new Observation(base.desired(), base.observed(), base.unreachable()));
      return new Outcome.Planned(
          base.diagnostics(),
          base.spec(),
          base.layout(),
          observation.desired(),
          observation.observed(),
          Differ.diff(observation.desired(), observation.observed(), options),
          observation.unreachable());
    } catch (ProviderException e) {
      return new Outcome.Unobservable(base.diagnostics(), e);
    }
  }

  /** Closes the connections to the hosts. */
  @Override
  public void close() {
    collector.hosts().close();
  }
}
