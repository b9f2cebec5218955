/**
 * Backups: what an environment holds (its volumes as gzipped tars out of the engine, the images
 * that run kept by a tag, the site and the snapshot of the moment), each file with its SHA-256
 * in a manifest written last, so an interrupted backup is never listed. Taken before a deploy,
 * on demand, verified, restored, pruned to {@code keep}.
 */
@NullMarked
package dev.reconcile.backup;

import org.jspecify.annotations.NullMarked;
