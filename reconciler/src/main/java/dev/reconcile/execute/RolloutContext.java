package dev.reconcile.execute;

import dev.reconcile.desired.DesiredState;
import dev.reconcile.engine.Hosts;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import java.nio.file.Path;
import dev.reconcile.desired.Variables;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.SiteControl;

/**
 * Everything a rollout reads: the plan's inputs, the providers' abilities, timings.
 *
 * @param frontDoor held while one environment judges, installs or removes its site and reloads
 *     nginx: environments roll out in parallel (and other applies of the same state directory
 *     run beside this one), but nginx changes one site at a time
 * @param hosts the connections planning opened, reused by every step and probe
 * @param cancellation set by SIGTERM or SIGINT: rollouts stop and roll back
 */
record RolloutContext(
    PlatformSpec spec,
    DesiredState desired,
    ObservedState observed,
    ContainerRuntime runtime,
    SiteControl sites,
    FrontDoor door,
    Hosts hosts,
    Path specDir,
    String owner,
    Variables variables,
    ApplySettings settings,
    RetryPolicy retry,
    FileLock frontDoor,
    Cancellation cancellation,
    ExecutionListener listener) {

  /** The host a {@code platform.hosts} entry names, connected once for the whole apply. */
  Host machine(HostSpec spec) throws ProviderException {
    return hosts.get(spec, specDir);
  }
}
