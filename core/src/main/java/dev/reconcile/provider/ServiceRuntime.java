package dev.reconcile.provider;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.model.HostSpec;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the executor needs from the provider of a swarm: start the engine's own rollout of a
 * service (create, or an update that is start-first and rolled back by the engine when a new task
 * fails its health check), look at how it goes, and put back what it changed. The executor watches
 * and moves nginx to the tasks that are healthy as they come and go.
 */
public interface ServiceRuntime extends Capability {
  /**
   * A rollout the engine was asked to do.
   *
   * @param serviceId the engine's id of the service
   * @param previous the spec it had before, as the engine's JSON; empty when it was created
   * @param limit how long the engine may take before the rollout counts as stuck
   */
  record Rolled(
      ResourceId id, String serviceId, Optional<String> previous, Duration limit, String what) {}

  /**
   * One look at a service.
   *
   * @param ended the engine has nothing more to do (created and converged, update completed, or
   *     its rollback ended)
   * @param failure the engine's reason when it rolled the update back (or paused it)
   * @param replaced every task is of the spec asked for, healthy and routable, and no old one is
   *     left: traffic can only reach the new version, though the engine may still be watching the
   *     last task it started (its update monitor) before it calls the update completed
   * @param addresses where its running, healthy tasks listen ({@code NODE:PORT}), sorted: where nginx
   *     sends traffic
   * @param words how it goes, for the progress line
   */
  record Progress(
      boolean ended,
      Optional<String> failure,
      boolean replaced,
      List<String> addresses,
      String words) {}

  /** Creates the service or asks the engine to update it; returns at once. */
  Rolled start(HostSpec host, DesiredService service, Map<String, String> env, String owner)
      throws ProviderException;

  Progress progress(HostSpec host, Rolled rolled, int replicas) throws ProviderException;

  /** Puts back the spec a rollout replaced, or removes the service it created; returns at once. */
  Outcome undo(HostSpec host, Rolled rolled) throws ProviderException;
}
