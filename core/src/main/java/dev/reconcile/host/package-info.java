/**
 * The host seam: where commands run, files are written and ports are reached. {@link
 * dev.reconcile.host.Host} is implemented for this machine and for servers over SSH; the engine
 * and the providers go through it for everything host-specific. Commands are data ({@link
 * dev.reconcile.host.CommandLine}) with exact-string unit tests.
 */
@NullMarked
package dev.reconcile.host;

import org.jspecify.annotations.NullMarked;
