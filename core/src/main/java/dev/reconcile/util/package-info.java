/** Small helpers shared by every package: precondition checks for programming errors. */
@NullMarked
package dev.reconcile.util;

import org.jspecify.annotations.NullMarked;
