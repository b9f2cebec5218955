package dev.reconcile.store;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.SecretDigest;
import dev.reconcile.history.ContainerSpecJson;
import dev.reconcile.history.Snapshot;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Turns what runs after an apply into the environment's next snapshot. */
public final class SnapshotRecorder {
  private final SnapshotStore store;
  private final Clock clock;
  private final Path specDir;
  private final SecretDigest secrets;

  /** @param secrets digests the secrets written out in projects.yml, which are never stored */
  public SnapshotRecorder(SnapshotStore store, Clock clock, Path specDir, SecretDigest secrets) {
    this.secrets = secrets;
    this.store = store;
    this.clock = clock;
    this.specDir = specDir;
  }

  /**
   * @param environmentKey {@code project/environment}
   * @param failure the failed step and why, when the apply failed there
   * @param desired what the apply aimed at: the spec of each container and site that now runs
   *     as declared is taken from it; others keep the spec an earlier snapshot recorded for their
   *     hash (a failed apply leaves the old ones running)
   * @param origin what ran, e.g. {@code apply} or {@code rollback to #3}
   */
  public Snapshot record(
      String environmentKey,
      Optional<String> failure,
      ObservedState after,
      DesiredState desired,
      String origin)
      throws IOException {
    return record(environmentKey, failure, after, desired, origin, Optional.empty());
  }

  /** @param backupId the backup taken before the apply changed anything, if one was */
  public Snapshot record(
      String environmentKey,
      Optional<String> failure,
      ObservedState after,
      DesiredState desired,
      String origin,
      Optional<String> backupId)
      throws IOException {
    return record(environmentKey, failure, after, desired, origin, backupId, List.of());
  }

  /** @param releases the release commands the apply ran */
  public Snapshot record(
      String environmentKey,
      Optional<String> failure,
      ObservedState after,
      DesiredState desired,
      String origin,
      Optional<String> backupId,
      List<Snapshot.Release> releases)
      throws IOException {
    return record(
        environmentKey,
        failure,
        after,
        desired,
        failure.isPresent() ? "failed" : "applied",
        origin,
        backupId,
        releases);
  }

  private Snapshot record(
      String environmentKey,
      Optional<String> failure,
      ObservedState after,
      DesiredState desired,
      String outcome,
      String origin,
      Optional<String> backupId,
      List<Snapshot.Release> releases)
      throws IOException {
    var parts = environmentKey.split("/");
    var project = parts[0];
    var environment = parts[1];
    var previous = store.list(project, environment);
    var serial = previous.isEmpty() ? 1 : previous.getLast().serial() + 1;
    var lineage =
        previous.isEmpty() ? UUID.randomUUID().toString() : previous.getLast().lineage();
    var containers = new ArrayList<>(after
        .all(ObservedContainer.class)
        .filter(c -> c.id().project().equals(project) && c.id().environment().equals(environment))
        .map(c -> new Snapshot.Container(
            c.id().name().orElseThrow(),
            c.image(),
            c.imageId(),
            c.slot(),
            c.hostPort().isPresent()
                ? Optional.of(c.hostPort().getAsInt())
                : Optional.<Integer>empty(),
            c.specHash(),
            containerSpec(c, desired, previous)))
        .toList());
    // A swarm service is recorded as a container of the slot "service": its image, spec hash and
    // declaration (replicas included); its tasks' ports are the engine's.
    after
        .all(ObservedService.class)
        .filter(s -> s.id().project().equals(project) && s.id().environment().equals(environment))
        .map(s -> new Snapshot.Container(
            s.id().name().orElseThrow(),
            s.image(),
            s.image(),
            Snapshot.SERVICE_SLOT,
            Optional.<Integer>empty(),
            s.specHash(),
            serviceSpec(s, desired, previous)))
        .forEach(containers::add);
    var site = after
        .get(ResourceId.site(project, environment))
        .map(ObservedSite.class::cast)
        .map(s -> new Snapshot.Site(s.specHash(), s.contentHash(), siteSpec(s, desired)));
    var snapshot = new Snapshot(
        project,
        environment,
        serial,
        lineage,
        clock.instant().toString(),
        who(),
        gitCommit(),
        outcome,
        failure,
        containers,
        site,
        backupId,
        Optional.of(origin),
        releases);
    store.save(snapshot);
    return snapshot;
  }

  /**
   * Records what runs in an environment whose apply died before it could: result {@code
   * interrupted}, with who started it and when.
   */
  public Snapshot recordInterrupted(
      String environmentKey, ApplyJournal.Entry entry, ObservedState now, DesiredState desired)
      throws IOException {
    var failure = entry.describe() + " ended before it finished (killed, or the machine stopped); "
        + "this snapshot is what ran when the next apply took over";
    return record(
        environmentKey,
        Optional.of(failure),
        now,
        desired,
        "interrupted",
        "interrupted " + entry.command(),
        Optional.empty(),
        List.of());
  }

  private Optional<String> containerSpec(
      ObservedContainer c, DesiredState desired, List<Snapshot> previous) {
    var declared = desired
        .get(c.id())
        .map(DesiredContainer.class::cast)
        .filter(d -> d.specHash().equals(c.specHash()))
        .map(d -> ContainerSpecJson.write(d.spec(), secrets, d.id().toString()));
    return declared.or(() -> previous.reversed().stream()
        .flatMap(s -> s.containers().stream())
        .filter(p ->
            p.component().equals(c.id().name().orElseThrow()) && p.specHash().equals(c.specHash()))
        .map(Snapshot.Container::spec)
        .flatMap(Optional::stream)
        .findFirst());
  }

  private Optional<String> serviceSpec(
      ObservedService s, DesiredState desired, List<Snapshot> previous) {
    var declared = desired
        .get(s.id())
        .map(DesiredService.class::cast)
        .filter(d -> d.specHash().equals(s.specHash()))
        .map(d -> ContainerSpecJson.write(
            d.container().spec(), secrets, d.container().id().toString()));
    return declared.or(() -> previous.reversed().stream()
        .flatMap(p -> p.containers().stream())
        .filter(p -> p.slot().equals(Snapshot.SERVICE_SLOT)
            && p.component().equals(s.id().name().orElseThrow())
            && p.specHash().equals(s.specHash()))
        .map(Snapshot.Container::spec)
        .flatMap(Optional::stream)
        .findFirst());
  }

  private static Optional<String> siteSpec(ObservedSite s, DesiredState desired) {
    return s.recorded()
        .map(f -> SpecHash.canonicalJson(f.toJson()))
        .or(() -> desired
            .get(s.id())
            .map(DesiredSite.class::cast)
            .filter(d -> d.specHash().equals(s.specHash()))
            .map(d -> SpecHash.canonicalJson(d.fingerprint().toJson())));
  }

  private static String who() {
    var host = "localhost";
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      // The user name alone still says who.
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }

  /** The commit of the repository holding projects.yml, when git and a repository are there. */
  private Optional<String> gitCommit() {
    try {
      var process = new ProcessBuilder("git", "-C", specDir.toString(), "rev-parse", "HEAD")
          .redirectErrorStream(true)
          .start();
      var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.waitFor(5, TimeUnit.SECONDS)
              && process.exitValue() == 0
              && out.matches("[0-9a-f]{40}")
          ? Optional.of(out)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
