/**
 * What providers found, keyed by {@link dev.reconcile.resource.ResourceId}: containers, sites
 * and volumes the tool manages, extra slots left over from an interrupted apply, and conflicts
 * (things the tool does not manage that hold a name, port or file it needs). Observed state holds
 * no secret values: env values appear only in a container's recorded fingerprint, as digests.
 */
@NullMarked
package dev.reconcile.observed;

import org.jspecify.annotations.NullMarked;
