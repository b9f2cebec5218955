/**
 * The render arrow: pure functions from a {@link dev.reconcile.plan.Plan} to text for people
 * (optionally colored) and Markdown for pull requests. They never re-plan and never print.
 */
@NullMarked
package dev.reconcile.render;

import org.jspecify.annotations.NullMarked;
