/**
 * Semantic rules: what the JSON Schema cannot say, one class per rule. Rules read the raw tree
 * tolerantly (a node of the wrong shape is skipped; the schema reports it), so that one run
 * reports every independent mistake.
 */
@NullMarked
package dev.reconcile.spec.rules;

import org.jspecify.annotations.NullMarked;
