/**
 * {@link dev.reconcile.host.Host}s: this machine ({@link
 * dev.reconcile.providers.host.LocalHost}). Runners get integration tests against real
 * programs, and every implementation passes the host contract test.
 */
@NullMarked
package dev.reconcile.providers.host;

import org.jspecify.annotations.NullMarked;
