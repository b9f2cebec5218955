package dev.reconcile.observed;

/** Which image a reference (tag) points to on a host right now. Tags move; ids do not. */
public record ImageTag(String host, String reference, String imageId) {}
