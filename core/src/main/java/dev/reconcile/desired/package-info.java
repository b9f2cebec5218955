/**
 * The expand arrow: {@link dev.reconcile.desired.Expander} turns a validated {@link
 * dev.reconcile.model.PlatformSpec} into a {@link dev.reconcile.desired.DesiredState}, one resource
 * per container, site and volume of every selected project and environment. Environment overrides
 * are merged here and nowhere else. Desired state holds no secret values: an env value that is, or
 * may be, secret is kept as a salted digest, enough to tell whether it changed.
 */
@NullMarked
package dev.reconcile.desired;

import org.jspecify.annotations.NullMarked;
