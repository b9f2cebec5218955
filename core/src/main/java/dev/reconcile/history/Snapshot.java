package dev.reconcile.history;

import java.util.List;
import java.util.Optional;

/**
 * One apply of one project environment, as it ended.
 *
 * @param serial 1 for the first apply of the environment, +1 for each later one
 * @param lineage fixed at the first snapshot of the environment; a new lineage means the history
 *     was started over
 * @param result {@code applied} or {@code failed}
 * @param failure the failed step and why, when it failed
 * @param gitCommit the commit of the repository holding projects.yml, when there is one
 * @param backupId the pre-deploy backup, once backups exist
 * @param origin what wrote it, for people: {@code apply}, {@code rollback to #3}, {@code
 *     interrupted apply}; empty in snapshots of older versions
 * @param releases the release commands the apply ran, in order
 */
public record Snapshot(
    String project,
    String environment,
    int serial,
    String lineage,
    String time,
    String user,
    Optional<String> gitCommit,
    String result,
    Optional<String> failure,
    List<Container> containers,
    Optional<Site> site,
    Optional<String> backupId,
    Optional<String> origin,
    List<Release> releases) {

  public Snapshot {
    containers = List.copyOf(containers);
    releases = List.copyOf(releases);
  }

  public Snapshot(
      String project,
      String environment,
      int serial,
      String lineage,
      String time,
      String user,
      Optional<String> gitCommit,
      String result,
      Optional<String> failure,
      List<Container> containers,
      Optional<Site> site,
      Optional<String> backupId,
      Optional<String> origin) {
    this(
        project,
        environment,
        serial,
        lineage,
        time,
        user,
        gitCommit,
        result,
        failure,
        containers,
        site,
        backupId,
        origin,
        List.of());
  }

  /**
   * A release command as it ran: which container's, from which image, how it ended. Its argv and
   * output are not kept (they may hold secrets); the apply's output shows them.
   *
   * @param exitCode -1 when it was stopped at its timeout
   */
  public record Release(
      String component, String image, long exitCode, long millis, boolean timedOut) {}

  /** The slot a swarm service is recorded with (its tasks are the engine's, not slots). */
  public static final String SERVICE_SLOT = "service";

  /**
   * A container as it ran after the apply: the image by id, so a rollback survives a moved tag.
   *
   * @param spec its projects.yml form ({@link ContainerSpecJson}), when known; env values are kept
   *     as written, never resolved
   */
  public record Container(
      String component,
      String image,
      String imageId,
      String slot,
      Optional<Integer> hostPort,
      String specHash,
      Optional<String> spec) {}

  /**
   * The installed site: its spec hash, the hash of its body and, when known, its fingerprint
   * (domains, routes, listen) as JSON.
   */
  public record Site(String specHash, String contentHash, Optional<String> spec) {}
}
