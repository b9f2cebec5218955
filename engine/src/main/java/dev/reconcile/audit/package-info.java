/**
 * The audit arrow: every apply, rollback, heal, drift found, backup and failure becomes an
 * {@link dev.reconcile.audit.Event}, appended to the audit log and, when platform.notify is set,
 * sent to a webhook. Events are built from messages that never hold a secret value.
 */
@NullMarked
package dev.reconcile.audit;

import org.jspecify.annotations.NullMarked;
