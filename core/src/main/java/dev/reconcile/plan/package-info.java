/**
 * The diff arrow and its result. {@link dev.reconcile.plan.Differ#diff} is a pure function of
 * desired and observed state; {@link dev.reconcile.plan.Plan} is closed, immutable data that the
 * renderers and the executor read and nothing else writes. The executor decides only from {@link
 * dev.reconcile.plan.Action}, the hashes and the update strategy; {@link dev.reconcile.plan.Reason}
 * and {@link dev.reconcile.plan.TrafficImpact} are for people.
 */
@NullMarked
package dev.reconcile.plan;

import org.jspecify.annotations.NullMarked;
