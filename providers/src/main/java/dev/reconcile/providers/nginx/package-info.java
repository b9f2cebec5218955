/**
 * The nginx front door: the commands that validate and reload a configuration. Site rendering,
 * atomic installation and observation follow with the nginx provider.
 */
@NullMarked
package dev.reconcile.providers.nginx;

import org.jspecify.annotations.NullMarked;
