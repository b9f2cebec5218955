package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.execute.CrashPoints;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash matrix: an apply from v1 to v2 is ended by kill -9, or sent SIGTERM, right after each
 * named step, with requests flowing through nginx the whole time. Whatever the step: no request
 * fails, plan and status tell the truth, the next apply converges and the one after has nothing
 * to do, no container is left over, and history records what runs.
 */
class CrashMatrixIT {
  @TempDir Path dir;
  private final String project = "rc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = FreePorts.loopback();
  private Path spec;

  enum Fault {
    KILL("RECONCILE_TEST_KILL_AFTER"),
    SIGTERM("RECONCILE_TEST_SIGTERM_AFTER");

    final String variable;

    Fault(String variable) {
      this.variable = variable;
    }
  }

  static Stream<Arguments> points() {
    var out = new ArrayList<Arguments>();
    for (var fault : Fault.values()) {
      for (var step : CrashPoints.STEPS) {
        out.add(Arguments.of(fault, step));
      }
    }
    return out.stream();
  }

  @BeforeEach
  void deployV1() throws IOException {
    spec = dir.resolve("projects.yml");
    write("v1");
    var first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
  }

  @AfterEach
  void cleanUp() throws Exception {
    CliRun.of("-f", spec.toString(), "nginx", "stop");
    TestHosts.removeProject(project);
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("points")
  void apply_endedAtAnyStep_losesNoRequestAndTheNextApplyConverges(Fault fault, String step)
      throws Exception {
    write("v2");
    var load = LoadLoop.start(listen, project + ".test");
    try {
      var crashed = crashedApply(fault, step);
      var log = Files.readString(dir.resolve("crashed.log"));
      if (fault == Fault.KILL) {
        assertThat(crashed).as(log).isEqualTo(137);
      } else if (List.of(CrashPoints.STEPS).indexOf(step) < List.of(CrashPoints.STEPS).indexOf("drain")) {
        assertThat(crashed).as("SIGTERM ends the apply non-zero: " + log).isEqualTo(1);
        assertThat(log).contains("SIGTERM: stopping at the next step", "rolled back: ");
      }
      if (fault == Fault.SIGTERM) {
        // Past the drain the apply finishes (the new version serves); the signal may even come
        // after it returned, when the JVM's own handling ends it (143), or be too late to matter.
        assertThat(crashed).as(log).isIn(0, 1, 143);
        assertThat(dir.resolve(".reconcile/journal/" + project + ".production.json"))
            .as("a SIGTERM'd apply records its snapshot").doesNotExist();
      }

      var status = CliRun.of("-f", spec.toString(), "status", "--project", project);
      var plan = CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode", "--project", project);
      var converge = apply();
      var again = apply();

      // One line per point for docs/reliability.md's table.
      System.out.printf("MATRIX | %s | %s | exit %d | plan %s | %d requests, %d failed | next apply %s%n",
          fault, step, crashed, plan.exitCode() == 0 ? "in sync" : "changes", load.answers().size(),
          load.failures().size(), converge.out().contains("Nothing to do") ? "nothing to do"
              : converge.err().contains("ended before it finished") ? "records the interrupted apply, converges"
              : "converges");
      assertThat(load.failures()).as("failed requests through nginx").isEmpty();
      assertThat(plan.exitCode()).as("plan after the fault: " + plan.out() + plan.err()).isIn(0, 2);
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(again.out()).as("the apply after converging").contains("Nothing to do");
      if (plan.exitCode() == 0) {
        assertThat(converge.out()).as("plan said nothing to do; so must apply").contains("Nothing to do");
        assertThat(status.out()).contains("in sync");
      }
    } finally {
      load.stop();
    }
    assertThat(get().body()).contains("version v2");
    assertThat(TestHosts.containers(project)).as("no orphans").hasSize(1);
    var history = CliRun.of("-f", spec.toString(), "history", "--project", project);
    assertThat(history.out().lines().filter(l -> l.startsWith("  #")).reduce((a, b) -> b).orElseThrow())
        .as("the newest snapshot records what runs: " + history.out()).contains("web=reconcile-test/web:v2");
    assertThat(CliRun.of("-f", spec.toString(), "status", "--project", project).out()).contains("in sync");
  }

  static Stream<String> steps() {
    return Stream.of(CrashPoints.STEPS);
  }

  /**
   * A rollback from v2 to v1 killed after each step: the hold it wrote first keeps the environment
   * at the snapshot, and the next plain apply finishes the rollback; no request fails.
   */
  @ParameterizedTest(name = "rollback killed after {0}")
  @MethodSource("steps")
  void rollback_killedAtAnyStep_losesNoRequestAndTheNextApplyFinishesIt(String step) throws Exception {
    write("v2");
    assertThat(apply().exitCode()).isZero();
    var load = LoadLoop.start(listen, project + ".test");
    try {
      var crashed = run(Fault.KILL, step, "rollback", "--project", project, "--env", "production", "--yes");
      assertThat(crashed).as(Files.readString(dir.resolve("crashed.log"))).isEqualTo(137);

      var converge = apply();
      var again = apply();

      System.out.printf("MATRIX | ROLLBACK KILL | %s | %d requests, %d failed | next apply %s%n", step,
          load.answers().size(), load.failures().size(),
          converge.out().contains("Nothing to do") ? "nothing to do" : "finishes the rollback");
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(again.out()).contains("Nothing to do");
    } finally {
      load.stop();
    }
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(get().body()).contains("version v1");
    assertThat(TestHosts.containers(project)).as("no orphans").hasSize(1);
    var history = CliRun.of("-f", spec.toString(), "history", "--project", project);
    assertThat(history.out().lines().filter(l -> l.startsWith("  #")).reduce((a, b) -> b).orElseThrow())
        .as(history.out()).contains("web=reconcile-test/web:v1");
  }

  /** Runs the built tool as its own process, faulted after the step; returns its exit code. */
  private int crashedApply(Fault fault, String step) throws Exception {
    return run(fault, step, "apply", "--yes", "--bake", "1s", "--drain", "1s", "--project", project);
  }

  private int run(Fault fault, String step, String... args) throws Exception {
    var argv = new ArrayList<>(List.of(Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile")
        .toString(), "-f", spec.toString()));
    argv.addAll(List.of(args));
    var command = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(dir.resolve("crashed.log").toFile());
    command.environment().put(fault.variable, step);
    var process = command.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the faulted apply ended").isTrue();
    return process.exitValue();
  }

  private void write(String version) throws IOException {
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        """.formatted(listen) + TestHosts.webProject(project, version));
  }

  private CliRun apply() {
    return CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "1s", "--drain", "1s",
        "--project", project);
  }

  private HttpProbe.Answer get() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5));
  }

}
