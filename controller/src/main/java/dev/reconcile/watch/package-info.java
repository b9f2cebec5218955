/**
 * The controller: a level-triggered loop in the style of Kubernetes controllers. Triggers (a
 * changed projects.yml, Docker events of managed containers, changed site files, a periodic
 * resync, backup schedules) only enqueue a key; workers take a key, observe, compare and report
 * or heal. The queue dedupes keys, never hands out one key twice at once, and retries failures
 * with per-key exponential backoff while other keys go on.
 */
@NullMarked
package dev.reconcile.watch;

import org.jspecify.annotations.NullMarked;
