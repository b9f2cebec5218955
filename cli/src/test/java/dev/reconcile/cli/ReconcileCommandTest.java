package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The root command: help, version, usage errors, the schema command. */
class ReconcileCommandTest {
  @Test
  void noArguments_printsHelpWithCommandsAndExitCodes() {
    var run = CliRun.of();

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: reconcile", "validate", "schema", "Exit codes:");
  }

  @Test
  void help_listsEveryCommand_withItsWholeSummaryOnOneLine() {
    var run = CliRun.of("--help");

    var list = run.out()
        .substring(run.out().indexOf("Commands:"), run.out().indexOf("Exit codes:"))
        .strip()
        .lines()
        .skip(1)
        .filter(l -> !l.isBlank())
        .toList();
    assertThat(list).hasSize(ReconcileCommand.COMMANDS.size());
    assertThat(ReconcileCommand.SUMMARIES).containsOnlyKeys(ReconcileCommand.COMMANDS.keySet());
    for (var line : list) {
      assertThat(line)
          .as("one line, a whole sentence, 80 columns")
          .startsWith("  ")
          .endsWith(".")
          .hasSizeLessThanOrEqualTo(80);
    }
  }

  @Test
  void everyCommandsHelp_saysWhatWasWritten_noVariableLeftAsNull() {
    for (var command : ReconcileCommand.COMMANDS.keySet()) {
      var run = CliRun.of(command, "--help");

      assertThat(run.exitCode()).as(command).isZero();
      // picocli reads ${NAME} in help text as a variable: unescaped, "${VAR}" prints "null".
      assertThat(run.out()).as(command + " --help").doesNotContain("null");
    }
  }

  @Test
  void version_printsTheBuiltVersion() {
    var run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).matches("(?s)reconcile \\d+\\.\\d+\\.\\d+.*\\nJava .*");
  }

  @Test
  void apply_badDuration_isAUsageErrorNotACrash() {
    var run = CliRun.of("apply", "--bake", "2x", "--yes");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("'2x' is not a duration like 500ms, 2s or 1m")
        .doesNotContain("internal error");
  }

  @Test
  void outputJson_ofACommandWithoutAJsonView_isRefusedNotAnsweredInText() {
    var run = CliRun.of("--output", "json", "apply", "--yes");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("apply has no JSON output (--output json is for validate and backup; plan has "
            + "--format json)");
  }

  @Test
  void validate_unreadableFile_saysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    var file = dir.resolve("projects.yml");
    java.nio.file.Files.writeString(file, "version: 1\n");
    java.nio.file.Files.setPosixFilePermissions(file, java.util.Set.of());
    org.junit.jupiter.api.Assumptions.assumeFalse(
        java.nio.file.Files.isReadable(file),
        "root reads every file: the permission cannot be taken away here");

    var run = CliRun.of("validate", "-f", file.toString());

    assertThat(run.err()).contains("cannot read the file: permission denied");
  }

  @Test
  void unknownOption_exitsOneAndPointsAtHelp() {
    var run = CliRun.of("validate", "--frobnicate");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("Unknown option: '--frobnicate'", "reconcile validate --help");
  }

  @Test
  void unknownCommand_exitsOne() {
    assertThat(CliRun.of("deploy-everything").exitCode()).isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void schema_printsTheProjectsSchema() throws IOException {
    var run = CliRun.of("schema");

    assertThat(run.exitCode()).isZero();
    var schema = new ObjectMapper().readTree(run.out());
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("required").toString()).contains("projects");
  }

  @Test
  void completion_printsABashScript_ofEveryCommandAndItsOptions() {
    var run = CliRun.of("completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "complete -F", "reconcile", "apply", "drift", "--detailed-exitcode", "--lock-timeout");
  }
}
