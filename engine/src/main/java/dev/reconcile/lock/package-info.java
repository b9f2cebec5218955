/**
 * One apply at a time per project environment: a lock file in the state directory naming its
 * holder, refreshed by a heartbeat, taken over when its process is gone or its heartbeat is old.
 */
@NullMarked
package dev.reconcile.lock;

import org.jspecify.annotations.NullMarked;
