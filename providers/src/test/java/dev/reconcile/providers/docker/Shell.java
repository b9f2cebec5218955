package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** The docker CLI and friends as tests arrange and inspect the engine with them, beside the tool. */
final class Shell {
  private Shell() {}

  /** Runs a command that must succeed; its output (stdout and stderr), stripped. */
  static String run(String... command) throws Exception {
    var out = new StringBuilder();
    var code = exec(out, command);
    assertThat(code).as(String.join(" ", command) + ": " + out).isZero();
    return out.toString();
  }

  /** Runs a command whatever it ends with (clean-up of what may be gone): its output. */
  static String attempt(String... command) throws Exception {
    var out = new StringBuilder();
    exec(out, command);
    return out.toString();
  }

  private static int exec(StringBuilder out, String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    return process.waitFor();
  }
}
