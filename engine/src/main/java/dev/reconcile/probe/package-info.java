/**
 * HTTP probes on loopback: health and smoke checks, and asking nginx which revision of a site it
 * serves. Used by observation and by the executor alike.
 */
@NullMarked
package dev.reconcile.probe;

import org.jspecify.annotations.NullMarked;
