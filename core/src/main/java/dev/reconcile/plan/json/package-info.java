/**
 * The plan's wire format, version {@value dev.reconcile.plan.json.PlanJson#FORMAT_VERSION}: stable
 * snake_case names, checked against {@code plan.schema.json} in tests. Tools and saved plans read
 * this; the text and Markdown renderers read the same {@link dev.reconcile.plan.Plan}.
 */
@NullMarked
package dev.reconcile.plan.json;

import org.jspecify.annotations.NullMarked;
