/**
 * The drift arrow: {@code (spec, last snapshot, what runs) -> DriftReport}. What runs is compared
 * with the last snapshot (drift: changed outside the tool since the last apply) and the spec with
 * the last snapshot (pending: declared and not applied yet), per environment.
 */
@NullMarked
package dev.reconcile.drift;

import org.jspecify.annotations.NullMarked;
