package dev.reconcile.plan;

import dev.reconcile.resource.ResourceId;

/**
 * Something that stops a change from being applied until a person acts: a conflict with an
 * unmanaged resource, or a risky rollout that needs an explicit choice. Apply refuses a plan
 * with problems.
 */
public record Problem(ResourceId id, String message, String hint) {}
