package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code reconcile validate} as users run it: exit codes, exact error lines, JSON output. */
class ValidateCommandTest {
  static Stream<Path> examples() throws IOException {
    try (var files = Files.list(Path.of("../specs-examples"))) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
    }
  }

  static Stream<Path> corpus() {
    return Golden.cases(Golden.invalidCorpus());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validate_example_exitsZero(Path example) {
    var run = CliRun.of("validate", "-f", example.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(example + ": valid (");
    assertThat(run.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void validate_corpusFile_exitsOneWithExactlyItsGoldenErrors(Path dir) throws IOException {
    var file = dir.resolve("projects.yml").toString();
    var golden = Files.readString(dir.resolve("errors.txt"))
        .replaceAll("(?m)^projects\\.yml:", java.util.regex.Matcher.quoteReplacement(file) + ":");

    var run = CliRun.of("validate", "-f", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).startsWith(golden);
    assertThat(run.err().substring(golden.length()))
        .matches(java.util.regex.Pattern.quote(file) + ": \\d+ errors?\\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void validate_jsonOutput_listsFileLineColumnMessagePath() throws IOException {
    var file = Golden.invalidCorpus().resolve("ten_mistakes/projects.yml").toString();

    var run = CliRun.of("validate", "-f", file, "--output", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
    var list = new ObjectMapper().readTree(run.out());
    assertThat(list.size()).isEqualTo(10);
    var first = list.get(0);
    assertThat(first.path("file").asText()).isEqualTo(file);
    assertThat(first.path("line").asInt()).isEqualTo(3);
    assertThat(first.path("column").asInt()).isEqualTo(10);
    assertThat(first.path("message").asText()).startsWith("port range '30000-20000' is empty");
    assertThat(first.path("path").asText()).isEqualTo("platform/ports");
  }

  @Test
  void validate_jsonOutputOfValidFile_isAnEmptyList() {
    var run = CliRun.of("--output", "json", "validate", "-f", "../specs-examples/filter-ical.yml");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).isEqualTo("[ ]");
  }

  @Test
  void validate_missingDefaultFile_saysWhichFile() {
    var run = CliRun.of("validate", "-f", "does-not-exist.yml");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).startsWith("does-not-exist.yml:1:1: error: no such file\n");
  }
}
