/**
 * The Docker provider: containers and volumes on Docker hosts, through docker-java. Everything
 * the tool creates carries the {@link dev.reconcile.providers.docker.Labels}; observation filters
 * on them, so unmanaged containers are never reported as managed (only as conflicts when they hold
 * a name or port the plan needs). docker-java's exceptions never leave this package: {@link
 * dev.reconcile.providers.docker.DockerErrors} turns them into provider faults.
 */
@NullMarked
package dev.reconcile.providers.docker;

import org.jspecify.annotations.NullMarked;
