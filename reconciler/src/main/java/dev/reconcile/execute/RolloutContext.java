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
 *     nginx: environments roll out in parallel, but nginx changes one site at a time
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
    java.util.concurrent.locks.ReentrantLock frontDoor,
    ExecutionListener listener) {}
