/**
 * The export arrow: {@code DesiredState -> Kubernetes manifests}, for teams that move on from
 * hosts and Swarm. Built as fabric8's typed model, written as YAML, and read back strictly.
 */
@NullMarked
package dev.reconcile.export;

import org.jspecify.annotations.NullMarked;
