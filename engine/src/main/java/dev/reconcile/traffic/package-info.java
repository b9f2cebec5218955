/**
 * The traffic arrow: what nginx logged for a site (its access log, JSON lines) read back as
 * requests per minute and the share of 5xx answers, for status, the controller's metrics and the
 * bake; and the log kept small.
 */
@NullMarked
package dev.reconcile.traffic;

import org.jspecify.annotations.NullMarked;
