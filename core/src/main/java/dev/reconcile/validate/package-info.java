/**
 * The entry point of the spec arrow: {@link dev.reconcile.validate.SpecValidator} loads a
 * projects.yml ({@code spec}), checks it against the schema and the semantic rules ({@code
 * spec.rules}) and binds it to the model. Above both, so that neither depends on the other's user.
 */
@NullMarked
package dev.reconcile.validate;

import org.jspecify.annotations.NullMarked;
