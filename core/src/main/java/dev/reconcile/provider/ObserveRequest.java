package dev.reconcile.provider;

import dev.reconcile.desired.DesiredState;

/**
 * What to observe, and what is desired there: a provider uses the desired resources only to tell
 * which unmanaged things are in the way (conflicts) and which image tags to resolve.
 */
public record ObserveRequest(ObserveTarget target, DesiredState desired) {}
