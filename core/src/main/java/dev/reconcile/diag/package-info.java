/**
 * Input errors as values: a {@link dev.reconcile.diag.Diagnostic} names what is wrong, where
 * (file:line:col and a path into the spec) and what to do. They are collected, never thrown, and
 * shown all together, sorted by position.
 */
@NullMarked
package dev.reconcile.diag;

import org.jspecify.annotations.NullMarked;
