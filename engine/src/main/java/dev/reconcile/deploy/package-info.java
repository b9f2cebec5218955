/**
 * The deploy arrow: a plan accepted by someone (apply, rollback, a heal by the controller) run as
 * one transaction per environment. Pre-flight, the environment locks, the backup before the
 * deploy, the executor, and a snapshot of what then runs. The CLI and the watch controller both
 * drive it; neither repeats it.
 */
@NullMarked
package dev.reconcile.deploy;

import org.jspecify.annotations.NullMarked;
