package dev.reconcile.desired;

/** A URL path prefix and the container (component) that serves it. */
public record Route(String location, String component) {}
