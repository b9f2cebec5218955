/**
 * The first arrow of the data flow: {@code projects.yml} bytes to a validated {@link
 * dev.reconcile.model.PlatformSpec}. {@link dev.reconcile.validate.SpecValidator} is the entry point:
 * it loads (SnakeYAML Engine, with positions and guard rails), checks the JSON Schema, runs the
 * semantic rules, and binds the model only when no error was found. Every problem becomes a
 * {@link dev.reconcile.diag.Diagnostic} with file:line:col; nothing here throws on bad input.
 */
@NullMarked
package dev.reconcile.spec;

import org.jspecify.annotations.NullMarked;
