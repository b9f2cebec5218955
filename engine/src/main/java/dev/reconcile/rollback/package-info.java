/**
 * Rollback: the desired state of one project environment rebuilt from a snapshot (images by id,
 * env as written, the site's routes), applied through the same zero-downtime path as any apply.
 */
@NullMarked
package dev.reconcile.rollback;

import org.jspecify.annotations.NullMarked;
