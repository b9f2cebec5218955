package dev.reconcile.execute;

import dev.reconcile.desired.DesiredState;
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
 * @param cancellation set by SIGTERM or SIGINT: rollouts stop and roll back
 */
record RolloutContext(
    PlatformSpec spec,
    DesiredState desired,
    ObservedState observed,
    ContainerRuntime runtime,
    SiteControl sites,
    SiteControl.FrontDoor door,
    String owner,
    Variables variables,
    ApplySettings settings,
    RetryPolicy retry,
    FileLock frontDoor,
    Cancellation cancellation,
    ExecutionListener listener) {}
