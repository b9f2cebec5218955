package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reconcile.validate.SpecValidator;

/**
 * Coverage-guided fuzzing of the loader and validator (Jazzer). Whatever the bytes, validation
 * ends with diagnostics or a valid spec: never an exception, a hang or unbounded memory. In a
 * plain test run the seeds under {@code SpecFuzzTestInputs/} are replayed; {@code bin/fuzz}
 * (and CI, briefly) fuzzes for real.
 */
class SpecFuzzTest {
  private static final SpecValidator VALIDATOR = SpecValidator.standard();

  @FuzzTest(maxDuration = "60s")
  void validate_anyBytes_givesDiagnosticsNeverAnException(byte[] bytes) {
    var result = VALIDATOR.validate(bytes, "fuzz.yml");

    assertThat(result.isValid() || result.diagnostics().hasErrors())
        .as("an invalid spec has at least one error")
        .isTrue();
    for (var d : result.diagnostics()) {
      assertThat(d.toString()).as("one diagnostic stays short").hasSizeLessThan(4096);
    }
  }
}
