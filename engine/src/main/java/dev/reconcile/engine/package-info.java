/**
 * The reconcile arrow as a whole: load and validate the spec, expand it, observe every target
 * through the providers found by {@link java.util.ServiceLoader}, and diff. {@link
 * dev.reconcile.engine.Reconciliation} is the entry point; it reads the world and changes nothing.
 */
@NullMarked
package dev.reconcile.engine;

import org.jspecify.annotations.NullMarked;
