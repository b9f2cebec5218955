/**
 * What was applied, per project environment: {@link dev.reconcile.history.Snapshot} records the
 * images by id, ports, site hashes, who, when and how it ended; {@link
 * dev.reconcile.history.SnapshotStore} keeps the last few. Written after every apply, success or
 * failure. The JSON form is described by {@code snapshot.schema.json}.
 */
@NullMarked
package dev.reconcile.history;

import org.jspecify.annotations.NullMarked;
