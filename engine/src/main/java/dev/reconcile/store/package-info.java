/**
 * State kept on disk under {@code platform.state_dir}: the snapshot history, written atomically
 * (temp file, fsync, rename), pruned to {@code platform.history} per environment.
 */
@NullMarked
package dev.reconcile.store;

import org.jspecify.annotations.NullMarked;
