package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.Golden;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the bad-input corpus ({@code invalid/<case>/projects.yml}) is refused with exactly
 * the errors of its golden {@code errors.txt}.
 */
class InvalidCorpusTest {
  private static final SpecValidator VALIDATOR = SpecValidator.standard();

  static Stream<Path> cases() {
    return Golden.cases(Golden.invalidCorpus());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validate_invalidFile_reportsItsGoldenErrors(Path dir) throws IOException {
    var bytes = Files.readAllBytes(dir.resolve("projects.yml"));

    var result = VALIDATOR.validate(bytes, "projects.yml");

    assertThat(result.isValid()).as("%s must be refused", dir.getFileName()).isFalse();
    assertThat(result.diagnostics().hasErrors()).isTrue();
    Golden.assertMatches(dir.resolve("errors.txt"), result.diagnostics() + "\n");
  }

  @Test
  void corpus_hasAtLeastFortyCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void validate_tenIndependentMistakes_reportsTenErrors() throws IOException {
    var bytes = Files.readAllBytes(Golden.invalidCorpus().resolve("ten_mistakes/projects.yml"));

    var result = VALIDATOR.validate(bytes, "projects.yml");

    assertThat(result.diagnostics().errorCount()).isEqualTo(10);
  }
}
