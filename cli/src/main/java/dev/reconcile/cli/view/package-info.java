/**
 * Views: the only code that knows about output streams, terminals and color. Each takes results
 * (diagnostics, plans, events) and prints them in the format the user chose.
 */
@NullMarked
package dev.reconcile.cli.view;

import org.jspecify.annotations.NullMarked;
