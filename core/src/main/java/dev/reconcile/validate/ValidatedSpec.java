package dev.reconcile.validate;

import dev.reconcile.diag.Diagnostics;
import dev.reconcile.model.PlatformSpec;
import java.util.Optional;

/**
 * What validation found: every diagnostic, and the spec when there was no error (warnings alone
 * still give a spec).
 */
public record ValidatedSpec(Diagnostics diagnostics, Optional<PlatformSpec> spec) {
  public boolean isValid() {
    return spec.isPresent();
  }
}
