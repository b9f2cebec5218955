/**
 * The provider SPI: what the engine needs from whoever talks to Docker, nginx or a remote host.
 * Interfaces and values only; implementations live in the providers module and are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.reconcile.provider.Provider}), so a
 * third party can add one. A provider observes in bulk (one list call per host, not one per
 * resource) and reports only what the tool created, plus conflicts; it never reads {@code
 * projects.yml}. Faults are {@link dev.reconcile.provider.ProviderException}s: transient ones may
 * be retried, terminal ones are reported.
 */
@NullMarked
package dev.reconcile.provider;

import org.jspecify.annotations.NullMarked;
