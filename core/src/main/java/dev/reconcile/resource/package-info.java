/**
 * Names and fingerprints shared by desired and observed state: {@link
 * dev.reconcile.resource.ResourceId} says which resource, {@link dev.reconcile.resource.SpecHash}
 * says whether two descriptions of it are the same. Both sides of the diff use these, so "changed?"
 * is one string comparison.
 */
@NullMarked
package dev.reconcile.resource;

import org.jspecify.annotations.NullMarked;
