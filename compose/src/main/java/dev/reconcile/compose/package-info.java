/**
 * An arrow into the data flow from outside it: a docker compose project, and the nginx site in
 * front of it, to a projects.yml draft ({@link dev.reconcile.compose.ComposeImport}). Reads files
 * and writes text; what compose does that projects.yml has no word for is written into the draft
 * as a comment saying why, never dropped silently.
 */
@NullMarked
package dev.reconcile.compose;

import org.jspecify.annotations.NullMarked;
