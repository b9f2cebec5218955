package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.execute.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash matrix: an apply from v1 to v2 is ended by kill -9, or sent SIGTERM, right after each
 * named step, with requests flowing through nginx the whole time. Whatever the step: no request
 * fails, plan and status tell the truth, the next apply converges and the one after has nothing
 * to do, no container is left over, and history records what runs.
 */
class CrashMatrixIT {
  @TempDir
  Path dir;

  private WebProject web;

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
    web = WebProject.atV1(dir, "rc", "1s", "1s");
  }

  @AfterEach
  void cleanUp() throws Exception {
    web.cleanUp();
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("points")
  void apply_endedAtAnyStep_losesNoRequestAndTheNextApplyConverges(Fault fault, String step)
      throws Exception {
    writeV2(step);
    var load = web.load();
    try {
      var crashed = crashedApply(fault, step);
      var log = Files.readString(dir.resolve("crashed.log"));
      if (fault == Fault.KILL) {
        assertThat(crashed).as(log).isEqualTo(137);
      } else if (List.of(CrashPoints.STEPS).indexOf(step)
          < List.of(CrashPoints.STEPS).indexOf("drain")) {
        assertThat(crashed).as("SIGTERM ends the apply non-zero: " + log).isEqualTo(1);
        assertThat(log).contains("SIGTERM: stopping at the next step", "rolled back: ");
      }
      if (fault == Fault.SIGTERM) {
        // Past the drain the apply finishes (the new version serves); the signal may even come
        // after it returned, when the JVM's own handling ends it (143), or be too late to matter.
        assertThat(crashed).as(log).isIn(0, 1, 143);
        assertThat(dir.resolve(".reconcile/journal/" + web.name + ".production.json"))
            .as("a SIGTERM'd apply records its snapshot")
            .doesNotExist();
      }

      var status = web.run("status", "--project", web.name);
      if (fault == Fault.KILL
          && List.of(CrashPoints.STEPS).indexOf(step)
              >= List.of(CrashPoints.STEPS).indexOf("site-installed")
          && !step.equals("snapshot-written")) {
        // Seconds of steps before the kill: the journal says how far the dead apply got (after
        // its snapshot, the apply had ended its entry).
        assertThat(status.out()).as("status after the kill").contains("(its last step: ");
      }
      var plan = web.run("plan", "--detailed-exitcode", "--project", web.name);
      var converge = web.apply();
      var again = web.apply();

      // One line per point for docs/reliability.md's table.
      System.out.printf(
          "MATRIX | %s | %s | exit %d | plan %s | %d requests, %d failed | next apply %s%n",
          fault,
          step,
          crashed,
          plan.exitCode() == 0 ? "in sync" : "changes",
          load.answers().size(),
          load.failures().size(),
          converge.out().contains("Nothing to do")
              ? "nothing to do"
              : converge.err().contains("ended before it finished")
                  ? "records the interrupted apply, converges"
                  : "converges");
      assertThat(load.failures()).as("failed requests through nginx").isEmpty();
      assertThat(plan.exitCode())
          .as("plan after the fault: " + plan.out() + plan.err())
          .isIn(0, 2);
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(again.out()).as("the apply after converging").contains("Nothing to do");
      if (plan.exitCode() == 0) {
        assertThat(converge.out())
            .as("plan said nothing to do; so must apply")
            .contains("Nothing to do");
        assertThat(status.out()).contains("in sync");
      }
    } finally {
      load.stop();
    }
    assertThat(web.get().body()).contains("version v2");
    assertThat(TestHosts.containers(web.name)).as("no orphans").hasSize(1);
    assertThat(web.newestSnapshot())
        .as("the newest snapshot records what runs")
        .contains("web=reconcile-test/web:v2");
    assertThat(web.run("status", "--project", web.name).out()).contains("in sync");
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
  void rollback_killedAtAnyStep_losesNoRequestAndTheNextApplyFinishesIt(String step)
      throws Exception {
    writeV2(step);
    assertThat(web.apply().exitCode()).isZero();
    var load = web.load();
    var said = new StringBuilder();
    try {
      var crashed = run(
          Fault.KILL,
          step,
          List.of(
              "-f",
              web.spec.toString(),
              "rollback",
              "--project",
              web.name,
              "--env",
              "production",
              "--yes"));
      said.append(Files.readString(dir.resolve("crashed.log")));
      assertThat(crashed).as(said.toString()).isEqualTo(137);

      var converge = web.apply();
      said.append("\n--- the next apply:\n").append(converge.out()).append(converge.err());
      var again = web.apply();

      System.out.printf(
          "MATRIX | ROLLBACK KILL | %s | %d requests, %d failed | next apply %s%n",
          step,
          load.answers().size(),
          load.failures().size(),
          converge.out().contains("Nothing to do") ? "nothing to do" : "finishes the rollback");
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(again.out()).contains("Nothing to do");
      if (step.equals("reloaded")) {
        // nginx's old workers may still send the slot it switched from a request or two.
        assertThat(converge.out()).contains("draining left-over slots");
      }
    } finally {
      load.stop();
    }
    assertThat(load.failures())
        .as("failed requests through nginx; the rollback, then:\n" + said)
        .isEmpty();
    assertThat(web.get().body()).contains("version v1");
    assertThat(TestHosts.containers(web.name)).as("no orphans").hasSize(1);
    assertThat(web.newestSnapshot()).contains("web=reconcile-test/web:v1");
  }

  /**
   * v2 of the project. A new image alone is a switch of routes, which nginx takes without a
   * reload; to reach "reloaded", v2 also changes the site's shape (its upload limit).
   */
  private void writeV2(String step) throws IOException {
    web.write("v2");
    if (step.equals("reloaded")) {
      Files.writeString(
          web.spec,
          Files.readString(web.spec).replace("port: 8080", "port: 8080\n        max_body: 5m"));
    }
  }

  /** Runs the built tool as its own process, faulted after the step; returns its exit code. */
  private int crashedApply(Fault fault, String step) throws Exception {
    return run(fault, step, web.applyArgs());
  }

  private int run(Fault fault, String step, List<String> args) throws Exception {
    var process = web.launch(Map.of(fault.variable, step), "crashed.log", args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS))
        .as("the faulted command ended")
        .isTrue();
    return process.exitValue();
  }
}
