/**
 * The validated spec as immutable records: what {@code projects.yml} declares, with defaults
 * applied and nothing resolved that needs secrets. Instances exist only for error-free specs, so
 * code that reads them never re-checks the input. Environment overrides are kept apart ({@link
 * dev.reconcile.model.ContainerOverride}) and merged only when desired state is expanded.
 */
@NullMarked
package dev.reconcile.model;

import org.jspecify.annotations.NullMarked;
