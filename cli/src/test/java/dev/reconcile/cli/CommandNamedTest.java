package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which command a run names, so that only it is built (the others cost start-up time). */
class CommandNamedTest {
  @Test
  void theFirstWordThatIsNotAnOptionOrItsValue_namesTheCommand() {
    assertThat(Main.commandNamed("plan", "--format", "json")).contains("plan");
    assertThat(Main.commandNamed("-f", "plan", "validate"))
        .as("-f takes a value")
        .contains("validate");
    assertThat(Main.commandNamed("--output", "json", "--no-color", "backup", "list"))
        .contains("backup");
  }

  @Test
  void helpAVersionOrAnUnknownWord_registerEveryCommand() {
    assertThat(Main.commandNamed("--help")).isEmpty();
    assertThat(Main.commandNamed()).isEmpty();
    assertThat(Main.commandNamed("palnn")).isEmpty();
  }

  @Test
  void anUnknownCommand_isStillSuggested() {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    var code = Main.run(
        dev.reconcile.cli.view.Terminal.captured(
            new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)),
        "palnn");

    assertThat(code).isEqualTo(ExitCodes.ERROR);
    assertThat(err.toString()).contains("Did you mean: reconcile ");
  }
}
