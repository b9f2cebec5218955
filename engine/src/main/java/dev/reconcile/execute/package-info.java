/**
 * The execute arrow: {@link dev.reconcile.execute.Executor} runs a plan through the providers'
 * {@link dev.reconcile.provider.ContainerRuntime} and {@link dev.reconcile.provider.SiteControl}:
 * per environment, new slots beside the old, health, smoke tests at the slot, the site rendered,
 * judged by nginx -t, installed and reloaded, verified through nginx, drained, old slots removed.
 * A failure before the switch removes what it started; after it, the previous site comes back.
 */
@NullMarked
package dev.reconcile.execute;

import org.jspecify.annotations.NullMarked;
