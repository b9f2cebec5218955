/** The console arrow: a person and a running app (logs, exec, run). */
@NullMarked
package dev.reconcile.console;

import org.jspecify.annotations.NullMarked;
