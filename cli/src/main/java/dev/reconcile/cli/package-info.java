/**
 * The command line: picocli commands that parse options, call the engine, and hand results to a
 * view. Commands never print; views do ({@link dev.reconcile.cli.view}). Exit codes are mapped in
 * {@link dev.reconcile.cli.ExitCodes} only.
 */
@NullMarked
package dev.reconcile.cli;

import org.jspecify.annotations.NullMarked;
