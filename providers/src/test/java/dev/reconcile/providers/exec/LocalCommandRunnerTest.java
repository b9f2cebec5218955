package dev.reconcile.providers.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout fires whatever the command does with its output; output is bounded. */
class LocalCommandRunnerTest {
  private final LocalCommandRunner runner = new LocalCommandRunner();

  @Test
  void run_commandThatPrints_returnsItsOutputAndExitCode() throws IOException {
    var result = runner.run(CommandLine.of("sh", "-c", "echo hello; exit 3"), Duration.ofSeconds(30));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).isEqualTo("hello\n");
  }

  @Test
  @Timeout(20)
  void run_commandThatHangsSilently_isKilledAtItsTimeout() {
    assertThatThrownBy(() -> runner.run(CommandLine.of("sleep", "600"), Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessage("'sleep 600' did not finish within 300 ms and was killed");
  }

  @Test
  @Timeout(20)
  void run_commandWhoseChildHoldsTheOutputOpen_isKilledAtItsTimeout() {
    // A reload command that starts a daemon keeping stdout: reading to the end would never return.
    assertThatThrownBy(() -> runner.run(CommandLine.of("sh", "-c", "sleep 600 & exec sleep 600"),
        Duration.ofMillis(300))).isInstanceOf(IOException.class).hasMessageContaining("was killed");
  }

  @Test
  @Timeout(20)
  void run_commandThatEndsButLeavesAChildOnItsOutput_returns() throws IOException {
    var result = runner.run(CommandLine.of("sh", "-c", "echo started; sleep 5 &"), Duration.ofSeconds(30));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).startsWith("started");
  }

  @Test
  @Timeout(20)
  void run_commandThatPrintsMegabytes_keepsABoundedPart() throws IOException {
    var result = runner.run(CommandLine.of("sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' x"),
        Duration.ofSeconds(30));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).hasSize(LocalCommandRunner.MAX_OUTPUT);
  }
}
