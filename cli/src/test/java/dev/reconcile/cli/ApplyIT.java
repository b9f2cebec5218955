package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply on a real Docker engine behind a real (managed) nginx: deploys, zero-downtime
 * replacement under load, failed health and smoke checks rolled back, locks and stale plans.
 */
class ApplyIT {
  @TempDir
  Path dir;

  private final String project =
      "ra" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = dev.reconcile.testing.TestPorts.reserve();
  private Path spec;

  @BeforeEach
  void writeSpec() throws IOException {
    spec = dir.resolve("projects.yml");
    write("v1", "");
  }

  @AfterEach
  void cleanUp() throws Exception {
    // Found by its master process, whatever a test did to the pid file.
    CliRun.of("-f", spec.toString(), "nginx", "stop");
    cleanUpProject(project);
  }

  private static void cleanUpProject(String project) throws Exception {
    TestHosts.removeProject(project);
  }

  private void write(String version, String extra) throws IOException {
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        """.formatted(listen) + TestHosts.webProject(project, version) + extra);
  }

  private CliRun apply(String... extra) {
    // Always scoped to this test's project: the engine is shared, and an unscoped apply removes
    // every managed container it does not declare.
    var args = new ArrayList<>(List.of(
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        "1s",
        "--drain",
        "1s",
        "--project",
        project));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private HttpProbe.Answer get() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5));
  }

  private List<String> containers() throws Exception {
    return TestHosts.containers(project);
  }

  private List<String> images() throws Exception {
    var out = run(
        "docker", "ps", "--format", "{{.Image}}", "--filter", "label=reconcile.project=" + project);
    return List.of(out.strip().split("\n"));
  }

  private static String run(String... command) throws Exception {
    return TestHosts.run(command);
  }

  @Test
  void apply_fromEmpty_servesTheSiteAndASecondApplyDoesNothing() {
    var first = apply();

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("applied " + project + "/production");
    assertThat(get().body()).contains("version v1");
    var second = apply();
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("Nothing to do");
    assertThat(CliRun.of("-f", spec.toString(), "status", "--project", project).out())
        .contains(
            project + "/production  in sync  snapshot #1 (applied",
            project + "-web-production-blue");
    assertThat(CliRun.of("-f", spec.toString(), "nginx", "status").out())
        .contains("nginx runs (pid ");
    assertThat(CliRun.of("-f", spec.toString(), "nginx", "stop").out()).contains("Stopped nginx");
    assertThat(get().answered()).as("nothing answers once nginx is stopped").isFalse();
    assertThat(CliRun.of("-f", spec.toString(), "nginx", "status").out())
        .contains("nginx is not running");
  }

  @Test
  void plan_whileNginxIsDown_saysTheSiteIsOfflineAndApplyStartsIt() throws Exception {
    assertThat(apply().exitCode()).isZero();
    assertThat(CliRun.of("-f", spec.toString(), "nginx", "stop").exitCode()).isZero();

    var plan =
        CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode", "--project", project);
    var status = CliRun.of("-f", spec.toString(), "status", "--project", project);
    var run = apply();

    assertThat(plan.exitCode())
        .as("a site nobody serves is a change: " + plan.out())
        .isEqualTo(2);
    assertThat(plan.out())
        .contains(
            "~ site:" + project + "/production",
            "nginx is not running: the site is offline; apply starts or reloads nginx");
    assertThat(status.out()).contains("1 change(s) pending", "nginx: down (nginx is not running)");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(get().body()).contains("version v1");
    assertThat(apply().out()).contains("Nothing to do");
  }

  @Test
  void apply_withAnEmptyPidFile_findsTheRunningNginxInsteadOfStartingASecond() throws Exception {
    assertThat(apply().exitCode()).isZero();
    // What a full disk left behind: the master runs, its pid file is empty.
    Files.writeString(dir.resolve(".reconcile/nginx/logs/nginx.pid"), "");
    write("v2", "");

    var status = CliRun.of("-f", spec.toString(), "nginx", "status");
    var run = apply();

    assertThat(status.out()).contains("nginx runs (pid ");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(get().body()).contains("version v2");
    var masters =
        run("pgrep", "-f", "nginx: master process.*" + dir.resolve(".reconcile/nginx/nginx.conf"));
    assertThat(masters.strip().lines())
        .as("one master for this state directory")
        .hasSize(1);
  }

  @Test
  void apply_withPortsOfTheRangeTakenBySomethingElse_publishesOnAFreeOne() throws Exception {
    // Whatever listens there is not a container: only a bind shows the port is taken.
    var held = new java.util.ArrayList<java.net.ServerSocket>();
    try {
      for (int port = 20000; port < 20100 && held.size() < 3; port++) {
        try {
          held.add(new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
          // Taken already, by a container or anything else: as good for this test.
        }
      }
      var run = apply();

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      var published = run(
          "docker",
          "ps",
          "--format",
          "{{.Ports}}",
          "--filter",
          "label=reconcile.project=" + project);
      for (var socket : held) {
        assertThat(published).doesNotContain("127.0.0.1:" + socket.getLocalPort() + "->");
      }
      assertThat(get().body()).contains("version v1");
    } finally {
      for (var socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void revision_ofTheServedSite_answersThisMachineOnly() throws Exception {
    assertThat(apply().exitCode()).isZero();
    var revision = new dev.reconcile.providers.nginx.NginxProvider()
        .sites()
        .revision(
            Files.readString(dir.resolve(".reconcile/nginx/sites/" + project + ".production.conf")))
        .orElseThrow();

    assertThat(revisionFrom("127.0.0.1"))
        .startsWith("HTTP/1.1 200")
        .contains("\r\n\r\n" + revision + " web=127.0.0.1:");
    assertThat(revisionFrom("127.0.0.5"))
        .as("another address, as any other client would be")
        .startsWith("HTTP/1.1 404");
  }

  /** GET of the revision path from a chosen source address on loopback. */
  private String revisionFrom(String source) throws IOException {
    try (var socket = new java.net.Socket()) {
      socket.bind(new java.net.InetSocketAddress(source, 0));
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", listen), 5000);
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(("GET " + dev.reconcile.provider.SiteControl.REVISION_PATH + " HTTP/1.1\r\nHost: "
                  + project + ".test\r\nConnection: close\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  @Test
  void apply_v1ToV2UnderLoad_dropsNoRequestAndSwitches() throws Exception {
    var first = apply();
    assertThat(first.exitCode()).isZero();
    // Nothing served before: nothing to put back, so a first deploy does not bake.
    assertThat(first.out()).contains("smoke checks passed through nginx (no bake: a first deploy");
    write("v2", "");
    var load = LoadLoop.start(listen, project + ".test");

    var run = apply();
    load.awaitAnswer("version v2");
    load.stop();

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("smoke checks passed through nginx for 1.0 s");
    assertThat(load.failures()).as("failed requests").isEmpty();
    assertThat(load.answers()).hasSizeGreaterThan(50).contains("version v1", "version v2");
    assertThat(get().body()).contains("version v2");
    assertThat(containers()).containsExactly(project + "-web-production-green");
  }

  @Test
  void rollback_underLoad_dropsNothingAndHoldsUntilReleased() throws Exception {
    assertThat(apply().exitCode()).isZero();
    write("v2", "");
    assertThat(apply().exitCode()).isZero();
    var unconfirmed =
        CliRun.of("-f", spec.toString(), "rollback", "--project", project, "--env", "production");
    assertThat(unconfirmed.exitCode()).isEqualTo(1);
    assertThat(unconfirmed.err())
        .contains("Run 'reconcile rollback --project " + project + " --env production --yes'")
        .doesNotContain("apply --yes");
    var load = LoadLoop.start(listen, project + ".test");

    var rollback = CliRun.of(
        "-f", spec.toString(), "rollback", "--project", project, "--env", "production", "--yes");
    load.stop();

    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(rollback.out())
        .contains("back to snapshot #1", "Held " + project + "/production at snapshot #1");
    assertThat(load.failures()).as("failed requests").isEmpty();
    assertThat(load.answers()).contains("version v2", "version v1");
    assertThat(get().body()).contains("version v1");
    assertThat(CliRun.of("-f", spec.toString(), "history", "--project", project).out())
        .contains("#3  ", "applied (rollback to #1)");
    assertThat(images())
        .as("the tag did not move: the container keeps its reference")
        .containsExactly("reconcile-test/web:v1");
    var plan =
        CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode", "--project", project);
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.out())
        .contains(
            "Held: " + project + "/production at snapshot #1",
            "-/+ container:" + project + "/production/web");
    assertThat(apply().out())
        .contains("Nothing to do: " + project + "/production (snapshot #1) held "
            + "at a snapshot by 'reconcile rollback'");
    var released = apply("--release");
    assertThat(released.exitCode()).as(released.out() + released.err()).isZero();
    assertThat(released.out()).contains("Released the hold");
    assertThat(get().body()).contains("version v2");
  }

  @Test
  void apply_unhealthyV3_failsRollsBackAndKeepsServing() throws Exception {
    assertThat(apply().exitCode()).isZero();
    write("v3", "");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "step 'health'",
            "did not become healthy",
            "rolled back: removed container " + project
                + "-web-production-green; traffic goes where it went before.");
    assertThat(get().body()).contains("version v1");
    assertThat(containers()).containsExactly(project + "-web-production-blue");
    var history = CliRun.of("-f", spec.toString(), "history", "--project", project);
    assertThat(history.out())
        .contains(
            project + "/production",
            "#1 ",
            "#2 ",
            "applied",
            "failed",
            "web=reconcile-test/web:v1 (",
            "health at container:" + project + "/production/web");
  }

  @Test
  void apply_v4FailingItsSmokeCheck_failsRollsBackAndKeepsServing() throws Exception {
    assertThat(apply().exitCode()).isZero();
    write("v4", "");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("smoke test at the new slot", "GET /api/smoke");
    assertThat(get().body()).contains("version v1");
    assertThat(containers()).containsExactly(project + "-web-production-blue");
  }

  @Test
  void apply_ofSixProjectsFromEmpty_switchesAllTheirSitesWithOneReload() throws Exception {
    // More environments than start at once on one host (Executor.PER_HOST): the first ones
    // wait at their switch for the last ones instead of reloading on their own.
    var others = List.of(project + "b", project + "c", project + "d", project + "e", project + "f");
    var extra = new StringBuilder();
    for (var other : others) {
      extra
          .append("  ")
          .append(other)
          .append(":\n    domains: { production: ")
          .append(other)
          .append(".test }\n")
          .append("    containers:\n      web: { image: \"reconcile-test/web:v1\", port: 8080 }\n");
    }
    write("v1", extra.toString());
    var args = new ArrayList<>(List.of(
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        "1s",
        "--drain",
        "1s",
        "--project",
        project));
    others.forEach(o -> args.addAll(List.of("--project", o)));
    try {
      var run = CliRun.of(args.toArray(String[]::new));

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out().lines().filter(l -> l.contains("installed and reloaded")))
          .hasSize(6)
          .allMatch(l -> l.contains("(one reload for 6 sites)"));
      assertThat(get().body()).contains("version v1");
      for (var other : others) {
        assertThat(HttpProbe.get("127.0.0.1", listen, "/", other + ".test", Duration.ofSeconds(5))
                .body())
            .contains("version v1");
      }
    } finally {
      for (var other : others) {
        cleanUpProject(other);
      }
    }
  }

  @Test
  void apply_siteRefusedByNginx_isNeverInstalledAndOtherProjectsStillDeploy() throws Exception {
    assertThat(apply().exitCode()).isZero();
    var site = dir.resolve(".reconcile/nginx/sites/" + project + ".production.conf");
    var before = Files.readString(site);
    var other = project + "b";
    write(
        "v2",
        "  " + other + ":\n    domains: { production: " + other + ".test }\n"
            + "    containers:\n      web: { image: \"reconcile-test/web:v2\", port: 8080 }\n");
    var broken = new Reconciliation(
        SpecValidator.standard(),
        new ObservedStateCollector(BrokenSiteProvider.providers(project), Hosts.discover()),
        System.getenv());

    var run = CliRun.with(
        () -> broken,
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        "1s",
        "--drain",
        "1s",
        "--project",
        project,
        "--project",
        other);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("step 'nginx -t'", "unknown directive \"bogus_directive\"");
    assertThat(Files.readString(site)).isEqualTo(before);
    assertThat(get().body()).contains("version v1");
    assertThat(containers()).containsExactly(project + "-web-production-blue");
    assertThat(run.out()).contains("applied " + other + "/production");
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", other + ".test", Duration.ofSeconds(5))
            .body())
        .contains("version v2");
    cleanUpProject(other);
  }

  @Test
  void apply_whileAnotherHoldsTheLock_exitsThreeNamingTheHolderUntilItIsReleased()
      throws Exception {
    var lock = dir.resolve(".reconcile/locks/" + project + ".production.lock");
    var held = (dev.reconcile.lock.EnvironmentLock.Attempt.Acquired)
        dev.reconcile.lock.EnvironmentLock.acquire(
            dir.resolve(".reconcile"), project + "/production", java.time.Clock.systemUTC());

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .contains(
            "is locked by another run: ", "(pid " + ProcessHandle.current().pid() + ",");
    assertThat(containers()).isEmpty();
    var unlock =
        CliRun.of("-f", spec.toString(), "unlock", "--project", project, "--env", "production");
    assertThat(unlock.exitCode()).isEqualTo(1);
    assertThat(unlock.err()).contains("is locked by a running process");
    held.lock().close();
    assertThat(apply().exitCode()).isZero();
    assertThat(lock).as("released after the apply: it names no holder").isEmptyFile();
  }

  @Test
  void apply_withALockTimeout_waitsForTheHolder_thenPlansAgainAndApplies_orGivesUpAtTheTimeout()
      throws Exception {
    var held = (dev.reconcile.lock.EnvironmentLock.Attempt.Acquired)
        dev.reconcile.lock.EnvironmentLock.acquire(
            dir.resolve(".reconcile"),
            project + "/production",
            java.time.Clock.systemUTC(),
            "rollback");

    var gaveUp = CliRun.of(
        "-f", spec.toString(), "apply", "--yes", "--lock-timeout", "1s", "--project", project);
    assertThat(gaveUp.exitCode()).isEqualTo(3);
    assertThat(gaveUp.err()).contains("running reconcile rollback", "was still locked after 1 s");
    assertThat(containers()).isEmpty();

    var waiting = new ProcessBuilder(
            Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
            "-f",
            spec.toString(),
            "apply",
            "--yes",
            "--bake",
            "0s",
            "--drain",
            "0s",
            "--lock-timeout",
            "5m",
            "--project",
            project)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("waiting.log").toFile())
        .start();
    try {
      var log = dir.resolve("waiting.log");
      for (int i = 0; i < 1200 && !Files.readString(log).contains("waiting up to"); i++) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(log)).contains("waiting up to");
      held.lock().close();
      assertThat(waiting.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(waiting.exitValue()).as(Files.readString(log)).isZero();
      assertThat(get().body()).contains("version v1");
    } finally {
      waiting.destroyForcibly();
    }
  }

  @Test
  void apply_afterAHolderDiedWithoutReleasing_takesTheLockAndSaysWhoHeldIt() throws Exception {
    // What a kill -9 leaves: the file names a holder, but no process holds the OS lock.
    var lock = dir.resolve(".reconcile/locks/" + project + ".production.lock");
    Files.createDirectories(lock.getParent());
    var now = java.time.Instant.now().toString();
    Files.writeString(
        lock,
        new ObjectMapper()
            .writeValueAsString(Map.of(
                "user",
                "alice",
                "host",
                "elsewhere",
                "pid",
                4242,
                "started",
                now,
                "heartbeat",
                now)));

    var run = apply();

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).contains("ended without releasing its lock: alice@elsewhere (pid 4242");
  }

  @Test
  void apply_twoAtOnce_theSecondExitsThreeNamingTheFirstProcess() throws Exception {
    // The first apply is a separate process of the built tool, slowed by a long bake.
    var first = new ProcessBuilder(
            Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
            "-f",
            spec.toString(),
            "apply",
            "--yes",
            "--bake",
            "8s",
            "--drain",
            "0s",
            "--project",
            project)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("first.log").toFile())
        .start();
    var lock = dir.resolve(".reconcile/locks/" + project + ".production.lock");
    for (int i = 0; i < 300 && !(Files.exists(lock) && Files.size(lock) > 0); i++) {
      Thread.sleep(50);
    }
    assertThat(lock).as("the first apply took the lock").exists();

    var second = apply();

    assertThat(second.exitCode()).isEqualTo(3);
    assertThat(second.err())
        .contains("is locked by another run", "running reconcile apply (pid " + first.pid() + ",");
    assertThat(first.waitFor()).as(Files.readString(dir.resolve("first.log"))).isZero();
    assertThat(lock).isEmptyFile();
  }

  @Test
  void rollback_afterTheTagMoved_runsTheSnapshotsImageById() throws Exception {
    var tag = "reconcile-test/web:" + project;
    run("docker", "tag", "reconcile-test/web:v1", tag);
    try {
      Files.writeString(spec, Files.readString(spec).replace("reconcile-test/web:v1", tag));
      assertThat(apply().exitCode()).isZero();
      write("v2", "");
      assertThat(apply().exitCode()).isZero();
      run("docker", "tag", "reconcile-test/web:v3", tag);

      var rollback = CliRun.of(
          "-f",
          spec.toString(),
          "rollback",
          "--project",
          project,
          "--env",
          "production",
          "--to",
          "1",
          "--yes");

      assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
      assertThat(get().body())
          .as("the image of snapshot #1, not what the tag points to now")
          .contains("version v1");
      assertThat(images())
          .as("pinned by id")
          .singleElement()
          .asString()
          .matches("(sha256:)?[0-9a-f]{12,64}");
    } finally {
      run("docker", "rmi", tag);
    }
  }

  @Test
  void apply_savedPlanAfterAnotherApply_isRefusedNamingTheSnapshots() throws Exception {
    assertThat(apply().exitCode()).isZero();
    write("v2", "");
    var planFile = dir.resolve("plan.json");
    assertThat(CliRun.of(
                "-f", spec.toString(), "plan", "--out", planFile.toString(), "--project", project)
            .exitCode())
        .isZero();
    assertThat(apply().exitCode()).isZero();

    var run = CliRun.of("-f", spec.toString(), "apply", planFile.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "stale plan: an apply ran in " + project + "/production since",
            "snapshot #1 then, #2 now");
  }

  @Test
  void apply_savedPlan_runsWithTheSelectionAndOptionsItWasMadeWith() throws Exception {
    var withWorker = TestHosts.webProject(project, "v1") + """
              worker:
                image: "reconcile-test/web:v1"
                volumes: { data: /data }
        """;
    Files.writeString(
        spec,
        "version: 1\nplatform:\n  nginx: { listen: \"127.0.0.1:" + listen + "\" }\n" + withWorker);
    assertThat(apply().exitCode()).isZero();
    var volume = project + "-production-data";
    assertThat(run("docker", "volume", "ls", "-q")).contains(volume);
    write("v1", "");
    var out = dir.resolve("plan.json");
    var plan = CliRun.of(
        "-f",
        spec.toString(),
        "plan",
        "--project",
        project,
        "--delete-volumes",
        "--out",
        out.toString());
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();

    // No --project here: the plan's own selection applies, and its --delete-volumes with it.
    var run =
        CliRun.of("-f", spec.toString(), "apply", "--bake", "1s", "--drain", "1s", out.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    // Reviewed when it was made: one line here, not the whole plan again.
    assertThat(run.out())
        .contains("Applying the reviewed plan " + out + ": Plan: 0 to create, 0 to update, "
            + "0 to replace, 2 to delete")
        .doesNotContain("-/+", "  - ");
    assertThat(containers()).containsExactly(project + "-web-production-blue");
    assertThat(run("docker", "volume", "ls", "-q")).doesNotContain(volume);
  }

  @Test
  void apply_savedPlanEditedByHand_isRefusedAndChangesNothing() throws Exception {
    assertThat(apply().exitCode()).isZero();
    write("v2", "");
    var out = dir.resolve("plan.json");
    assertThat(
            CliRun.of("-f", spec.toString(), "plan", "--project", project, "--out", out.toString())
                .exitCode())
        .isZero();
    // Someone turns the reviewed replace into a delete, keeping the digests.
    Files.writeString(
        out, Files.readString(out).replace("\"action\": \"replace\"", "\"action\": \"delete\""));

    var run = CliRun.of("-f", spec.toString(), "apply", out.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("stale plan", "are not the ones the same inputs give now");
    assertThat(images()).containsExactly("reconcile-test/web:v1");
  }

  @Test
  void apply_savedPlanAfterTheHostsChanged_isRefusedAsStale() throws Exception {
    var planFile = dir.resolve("plan.json");
    assertThat(CliRun.of(
                "-f", spec.toString(), "plan", "--out", planFile.toString(), "--project", project)
            .exitCode())
        .isZero();
    assertThat(apply().exitCode()).isZero();

    var run = CliRun.of("-f", spec.toString(), "apply", planFile.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("stale plan", "the hosts changed since");
  }

  @Test
  void apply_missingImageOrVariable_failsPreflightAndChangesNothing() throws Exception {
    Files.writeString(
        spec,
        Files.readString(spec).replace("reconcile-test/web:v1", "reconcile-test/web:v99")
            + "        env: { TOKEN: \"${RECONCILE_TEST_UNSET_TOKEN}\" }\n");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "pre-flight failed",
            "image reconcile-test/web:v99 is not on host local",
            "env TOKEN needs RECONCILE_TEST_UNSET_TOKEN");
    assertThat(containers()).isEmpty();
  }

  @Test
  void apply_afterAProjectIsTakenOutOfTheSpec_removesItsContainerAndSiteAndKeepsTheOther()
      throws Exception {
    var gone = project + "g";
    write("v1", """
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080 }
        """.formatted(gone, gone));
    try {
      // Unscoped: this state directory holds only this test's two projects.
      var first =
          CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "0s", "--drain", "0s");
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(TestHosts.containers(gone)).containsExactly(gone + "-web-production-blue");
      write("v1", "");
      assertThat(CliRun.of("-f", spec.toString(), "status").out())
          .contains(gone + "/production  no longer declared: 2 change(s) pending");
      var drift = CliRun.of("-f", spec.toString(), "drift");
      assertThat(drift.exitCode()).as(drift.out() + drift.err()).isEqualTo(2);
      assertThat(drift.out())
          .contains(
              gone + "/production: pending",
              "pending no-longer-declared: delete container:" + gone + "/production/web",
              "Apply what is declared:    reconcile apply --project " + gone + " --env production");

      var plan = CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode", "--project", gone);
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
      assertThat(plan.out()).contains("Plan: 0 to create, 0 to update, 0 to replace, 2 to delete");
      assertThat(
              CliRun.of("-f", spec.toString(), "plan", "--project", gone + "x").err())
          .as("a name with no history is refused as before")
          .contains("declares no project of that name");

      // Named, though no longer declared: its history says it was here.
      var second = CliRun.of(
          "-f",
          spec.toString(),
          "apply",
          "--yes",
          "--bake",
          "0s",
          "--drain",
          "0s",
          "--project",
          gone);

      assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
      assertThat(second.out())
          .contains(
              "- site:" + gone + "/production",
              "removed site file",
              "removed container " + gone + "-web-production-blue",
              "applied " + gone + "/production")
          .doesNotContain("internal error");
      assertThat(TestHosts.containers(gone)).isEmpty();
      assertThat(HttpProbe.get("127.0.0.1", listen, "/", gone + ".test", Duration.ofSeconds(5))
              .body())
          .doesNotContain("version v1");
      assertThat(get().body()).contains("version v1");
      assertThat(containers()).containsExactly(project + "-web-production-blue");
      // Its history stays, to be read (and the project put back from it) later.
      assertThat(CliRun.of("-f", spec.toString(), "history").out())
          .contains(gone + "/production (no longer declared in ", "#2 ");
    } finally {
      cleanUpProject(gone);
    }
  }

  @Test
  void apply_ofAnotherSpecOnTheSameEngine_neverTouchesThisOnesContainers() throws Exception {
    assertThat(apply().exitCode()).isZero();
    var otherProject = project + "x";
    var otherDir = Files.createDirectories(dir.resolve("other"));
    var otherSpec = otherDir.resolve("projects.yml");
    Files.writeString(otherSpec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v2", port: 8080 }
        """.formatted(listen + 1000, otherProject, otherProject));
    try {
      // Unscoped on purpose: it manages everything of its own state directory, and only that.
      var run =
          CliRun.of("-f", otherSpec.toString(), "apply", "--yes", "--bake", "0s", "--drain", "0s");

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).doesNotContain("container:" + project + "/");
      assertThat(containers()).containsExactly(project + "-web-production-blue");
      assertThat(get().body()).contains("version v1");
    } finally {
      var prefix = otherDir.resolve(".reconcile/nginx");
      run(
          "nginx",
          "-p",
          prefix.toString(),
          "-c",
          prefix.resolve("nginx.conf").toString(),
          "-s",
          "quit");
      cleanUpProject(otherProject);
    }
  }

  @Test
  void apply_withoutYesOffATerminal_changesNothing() throws Exception {
    var run = CliRun.of("-f", spec.toString(), "apply", "--project", project);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--yes");
    assertThat(containers()).isEmpty();
  }

  @Test
  void apply_onATerminal_asksAndChangesSomethingOnlyOnYes() throws Exception {
    var no = onATerminal("no");

    assertThat(no)
        .contains(
            "Apply these changes? Only 'yes' is accepted", "Apply cancelled; nothing was changed.");
    assertThat(containers()).isEmpty();
    var yes = onATerminal("yes");
    assertThat(yes).contains("applied " + project + "/production");
    assertThat(get().body()).contains("version v1");
  }

  /** Runs bin/reconcile apply on a pseudo-terminal (util-linux script) and answers its question. */
  private String onATerminal(String answer) throws Exception {
    var command = Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile") + " -f "
        + spec + " apply --bake 0s --drain 0s --project " + project;
    var process = new ProcessBuilder("script", "-qec", command, "/dev/null")
        .redirectErrorStream(true)
        .start();
    // Typed ahead: the terminal keeps the line until the prompt reads it. Stdin stays open, as a
    // person's would, until the command is done.
    process
        .getOutputStream()
        .write((answer + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    process.getOutputStream().flush();
    var out = new String(
        process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    process.getOutputStream().close();
    assertThat(out).as("colored on a terminal").contains("\u001b[");
    return out.replaceAll("\u001b\\[[0-9;]*m", "");
  }
}
