package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, three checkouts of one projects.yml in three folders that share nothing but the
 * file and its SSH key, as a laptop, a CI runner and a cron job would: what one applies the
 * others plan as no change, see in history and check for drift, because the state lives on the
 * server; and the lock is held there, by a process of the holder's connection.
 */
class TeamStateIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  @TempDir
  Path dir;

  private final String project =
      "rcteam" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int serverNginx = TestPorts.reserve();
  private final int localNginx = TestPorts.reserve();

  private Path server() {
    return dir.resolve("server");
  }

  /** Writes checkout {@code name}'s projects.yml (the same text in each) with a release. */
  private Path checkout(String name, String version, int retries) throws Exception {
    var folder = dir.resolve(name);
    Files.createDirectories(folder);
    var spec = folder.resolve("projects.yml");
    Files.writeString(
        spec,
        """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            %s
        """.formatted(localNginx, sshd.hostEntry("web-1", server(), serverNginx))
            + TestHosts.webProject(project, version)
                .replace("    domains:", "    host: web-1\n    domains:")
                .replace("retries: 3", "retries: " + retries));
    return spec;
  }

  /** A checkout whose host entry reaches the server as another account. */
  private Path checkoutAs(String name, String user, Path key) throws Exception {
    var spec = checkout(name, "v1");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                sshd.hostEntry("web-1", server(), serverNginx),
                sshd.hostEntry("web-1", user, key, server(), serverNginx)));
    return spec;
  }

  /** Every file and folder under the server's state, with its size and time: what a run changed. */
  private java.util.Map<String, String> serverFiles() throws Exception {
    try (var files = Files.walk(server())) {
      var out = new java.util.TreeMap<String, String>();
      for (var f : files.toList()) {
        out.put(
            server().relativize(f).toString(), Files.size(f) + " " + Files.getLastModifiedTime(f));
      }
      return out;
    }
  }

  private Path checkout(String name, String version) throws Exception {
    return checkout(name, version, 3);
  }

  private static CliRun run(Path spec, String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of("-f", spec.toString()));
    all.addAll(java.util.List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static CliRun apply(Path spec) {
    return run(spec, "apply", "--yes", "--bake", "1s", "--drain", "1s");
  }

  private String served() {
    return HttpProbe.get("127.0.0.1", serverNginx, "/", project + ".test", Duration.ofSeconds(5))
        .body();
  }

  @AfterEach
  void cleanUp() throws Exception {
    var pid = server().resolve("nginx/logs/nginx.pid");
    if (Files.exists(pid)) {
      TestHosts.run("kill", "-QUIT", Files.readString(pid).strip());
    }
    TestHosts.removeProject(project);
  }

  @Test
  void threeCheckouts_seeOneState_andOneLock() throws Exception {
    var a = checkout("a", "v1");
    var first = apply(a);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(served()).contains("version v1");
    assertThat(Files.exists(server().resolve("owner")))
        .as("the owner id lives on the server")
        .isTrue();
    assertThat(Files.exists(dir.resolve("a/.reconcile/owner")))
        .as("not in the checkout")
        .isFalse();

    // B: a fresh checkout plans no change and sees A's apply.
    var b = checkout("b", "v1");
    var plan = run(b, "plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    var history = run(b, "history");
    assertThat(history.out()).as(history.err()).contains(project + "/production", "#1 ", "applied");
    var json = run(b, "plan", "--format", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).isEqualTo(run(a, "plan", "--format", "json").out());

    // A's apply of a release that never becomes healthy holds the lock; B's apply is refused.
    checkout("a", "v3", 120);
    var holder = new ProcessBuilder(
            Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
            "-f",
            a.toString(),
            "apply",
            "--yes",
            "--bake",
            "1s",
            "--drain",
            "1s")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("a-holder.log").toFile())
        .start();
    try {
      var holderFile = server().resolve("locks/" + project + ".production.holder");
      var deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!(Files.exists(holderFile) && !Files.readString(holderFile).isBlank())) {
        assertThat(holder.isAlive())
            .as(Files.readString(dir.resolve("a-holder.log")))
            .isTrue();
        assertThat(System.nanoTime()).as("A took the lock").isLessThan(deadline);
        Thread.sleep(100);
      }
      checkout("b", "v2");
      var refused = apply(b);
      assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(3);
      assertThat(refused.err())
          .contains("running reconcile apply", System.getProperty("user.name"));

      // kill -9 of the holder (the JVM under the launcher) frees the lock on the server at once.
      holder.descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly();
    }
    var second = run(b, "apply", "--yes", "--bake", "1s", "--drain", "1s", "--lock-timeout", "60s");
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(served()).contains("version v2");

    // A, its file now as B's, plans no change; its history has B's apply and its own cut-off one.
    checkout("a", "v2");
    var aPlan = run(a, "plan", "--detailed-exitcode");
    assertThat(aPlan.exitCode()).as(aPlan.out() + aPlan.err()).isZero();
    assertThat(run(a, "history").out()).contains("interrupted", "applied");

    // C, a fresh checkout as a cron job would have: no drift, then drift once a container is gone.
    var c = checkout("c", "v2");
    var clean = run(c, "drift");
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    for (var name : TestHosts.containers(project)) {
      TestHosts.run("docker", "rm", "-f", name);
    }
    var drift = run(c, "drift");
    assertThat(drift.exitCode()).as(drift.out() + drift.err()).isEqualTo(2);
    assertThat(drift.out()).contains(project + "/production");

    // B rolls back to A's first snapshot.
    var healed = apply(b);
    assertThat(healed.exitCode()).as(healed.out() + healed.err()).isZero();
    var rollback =
        run(b, "rollback", "--project", project, "--env", "production", "--to", "1", "--yes");
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(served()).contains("version v1");
    assertThat(run(c, "history").out()).contains("rollback to #1");
  }

  @Test
  void aCheckoutOfAnEarlierVersion_movesItsStateToTheServer_onItsFirstApply() throws Exception {
    // An earlier version kept the state beside projects.yml: as state_host: local does now.
    var a = checkout("a", "v1");
    Files.writeString(
        a, Files.readString(a).replace("platform:\n", "platform:\n  state_host: local\n"));
    var before = apply(a);
    assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
    var owner = Files.readString(dir.resolve("a/.reconcile/owner")).strip();
    assertThat(Files.exists(server().resolve("owner"))).isFalse();

    // The upgrade: the state's default place is now the server. Plan writes nothing there, and
    // plans no change: the checkout's owner id still owns what runs.
    checkout("a", "v1");
    var plan = run(a, "plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    assertThat(Files.exists(server().resolve("owner")))
        .as("plan writes nothing on the server")
        .isFalse();
    assertThat(run(a, "state").out()).contains("not made yet", owner);

    var moved = run(a, "state", "migrate");
    assertThat(moved.exitCode()).as(moved.out() + moved.err()).isZero();
    assertThat(moved.out())
        .contains("Moved to " + server() + " on web-1: the owner id and secret key, 1 snapshot(s)");
    assertThat(Files.readString(server().resolve("owner")).strip()).isEqualTo(owner);
    assertThat(Files.exists(dir.resolve("a/.reconcile/MOVED"))).isTrue();

    // Nothing is redeployed, and a fresh checkout sees the history that was moved.
    var after = apply(a);
    assertThat(after.out()).as(after.err()).contains("Nothing to do");
    var b = checkout("b", "v1");
    assertThat(run(b, "plan", "--detailed-exitcode").exitCode()).isZero();
    assertThat(run(b, "history").out()).contains("#1 ", "applied");
  }

  @Test
  void theFirstApply_movesTheCheckoutsState_evenWithNothingToChange() throws Exception {
    var a = checkout("a", "v1");
    Files.writeString(
        a, Files.readString(a).replace("platform:\n", "platform:\n  state_host: local\n"));
    assertThat(apply(a).exitCode()).isZero();
    checkout("a", "v1");

    var first = apply(a);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("Nothing to do");
    assertThat(first.err())
        .contains(
            "the fleet's state now lives in " + server() + " on web-1",
            "the owner id and secret key",
            "1 snapshot(s)");
    assertThat(Files.readString(server().resolve("owner")).strip())
        .isEqualTo(Files.readString(dir.resolve("a/.reconcile/owner")).strip());
  }

  @Test
  void aBackupTakenFromOneCheckout_isListedAndRestoredFromAnother() throws Exception {
    var a = checkout("a", "v1");
    Files.writeString(
        a,
        Files.readString(a)
                .replace(
                    "        port: 8080\n",
                    "        port: 8080\n        volumes: { data: /data }\n        update: recreate\n")
            + "    backup: { volumes: [data], keep: 3 }\n");
    try {
      var first = apply(a);
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      var web = TestHosts.containers(project).getFirst();
      TestHosts.run("docker", "exec", web, "sh", "-c", "echo rows > /data/kept.txt");

      var taken = run(a, "backup", "run", "--project", project);
      assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
      var m = java.util.regex.Pattern.compile(project + "-production-\\d{8}-\\d{6}-[0-9a-f]{4}")
          .matcher(taken.out());
      assertThat(m.find()).as(taken.out()).isTrue();
      var id = m.group();
      assertThat(server().resolve("backups/" + id + "/manifest.json"))
          .as("the fleet's copy is on the server")
          .exists();

      // B, a fresh checkout, lists it and restores it: its files come from the server.
      var b = checkout("b", "v1");
      Files.writeString(b, Files.readString(a));
      assertThat(run(b, "backup", "list").out()).contains(id);
      TestHosts.run(
          "docker",
          "exec",
          TestHosts.containers(project).getFirst(),
          "sh",
          "-c",
          "rm /data/kept.txt && echo lost > /data/other.txt");
      var restored = run(b, "backup", "restore", id, "--yes");
      assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
      assertThat(restored.out() + restored.err())
          .contains("fetched from " + server().resolve("backups") + " on web-1");
      assertThat(TestHosts.run(
              "docker",
              "exec",
              TestHosts.containers(project).getFirst(),
              "sh",
              "-c",
              "cat /data/kept.txt; ls /data"))
          .contains("rows")
          .doesNotContain("other.txt");

      // C, as cron: the restore's restarts were the tool's own (noted on the server), not drift.
      var c = checkout("c", "v1");
      Files.writeString(c, Files.readString(a));
      var drift = run(c, "drift");
      assertThat(drift.exitCode()).as(drift.out() + drift.err()).isZero();
    } finally {
      TestHosts.run("docker", "volume", "rm", "-f", project + "-production-data");
      var tags = TestHosts.run(
              "docker",
              "images",
              "--format",
              "{{.Repository}}:{{.Tag}}",
              "reconcile-backup/" + project + "-web")
          .strip();
      for (var tag :
          tags.isEmpty() ? java.util.List.<String>of() : java.util.List.of(tags.split("\n"))) {
        TestHosts.run("docker", "rmi", tag);
      }
    }
  }

  @Test
  void aReadOnlyAccount_plansChecksDriftAndReadsHistory_andWritesNothing() throws Exception {
    var a = checkout("a", "v1");
    var first = apply(a);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    // The account docs/teams.md describes: the docker group, read on the state, and group read
    // on secret.key; nothing it may write there.
    var user = "rc-test-ro";
    // -p '*': no password, yet not locked (sshd without PAM refuses locked accounts any login).
    TestHosts.run(
        "sh",
        "-c",
        "id -u " + user + " >/dev/null 2>&1 || useradd -m -G docker -s /bin/sh -p '*' " + user);
    try {
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      TestHosts.run("chgrp", user, server().resolve("secret.key").toString());
      TestHosts.run("chmod", "0640", server().resolve("secret.key").toString());
      var ci = checkoutAs("ci", user, sshd.allow(user));
      var before = serverFiles();

      var plan = run(ci, "plan", "--detailed-exitcode");
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
      assertThat(run(ci, "plan", "--format", "json").out())
          .isEqualTo(run(a, "plan", "--format", "json").out());
      var history = run(ci, "history");
      assertThat(history.out())
          .as(history.err())
          .contains(project + "/production", "#1 ", "applied");
      var status = run(ci, "status");
      assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
      assertThat(status.out()).contains(project);
      var drift = run(ci, "drift");
      assertThat(drift.exitCode()).as(drift.out() + drift.err()).isZero();
      assertThat(serverFiles()).as("the read-only account wrote nothing").isEqualTo(before);

      // What it may not do is refused before anything changes, naming why.
      var containers = TestHosts.containers(project);
      Files.writeString(ci, Files.readString(ci).replace("web:v1", "web:v2"));
      var refused = apply(ci);
      assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
      assertThat(refused.err())
          .contains(
              "nothing was changed",
              "the state folder " + server() + " on web-1 cannot "
                  + "be written by the account this run uses there");
      assertThat(TestHosts.containers(project)).isEqualTo(containers);
      assertThat(served()).contains("version v1");
    } finally {
      TestHosts.run("sh", "-c", "userdel -r " + user + " 2>/dev/null || true");
    }
  }

  @Test
  void twoCheckoutsOnOneMachine_shareAnAbsoluteStateDir() throws Exception {
    var shared = dir.resolve("machine-state");
    var specs = new java.util.ArrayList<Path>();
    for (var name : java.util.List.of("a", "b")) {
      var folder = dir.resolve(name);
      Files.createDirectories(folder);
      var spec = folder.resolve("projects.yml");
      Files.writeString(
          spec, """
          version: 1
          platform:
            state_dir: "%s"
            nginx: { listen: "127.0.0.1:%d" }
          """.formatted(shared, localNginx) + TestHosts.webProject(project, "v1"));
      specs.add(spec);
    }
    try {
      var first = apply(specs.get(0));
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      var plan = run(specs.get(1), "plan", "--detailed-exitcode");
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
      assertThat(run(specs.get(1), "history").out())
          .contains(project + "/production", "#1 ", "applied");
      assertThat(Files.exists(dir.resolve("b/.reconcile")))
          .as("nothing beside the second checkout")
          .isFalse();
    } finally {
      run(specs.get(0), "nginx", "stop");
    }
  }
}
