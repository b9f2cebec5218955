package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups against the real engine: a volume's files out and back, before deploys, verify, keep. */
class BackupIT {
  @TempDir
  Path dir;

  private final String project =
      "rcbak" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();
  /** Snapshots kept (platform.history). */
  private int history = 10;
  /** platform.backup_target, relative to projects.yml, when set. */
  private String target;

  private Path write(String version, int keep) throws Exception {
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          history: %d
        %s
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
                volumes: { data: /data }
                update: recreate
            backup: { volumes: [data], keep: %d }
        """.formatted(
            listen,
            history,
            target == null ? "" : "  backup_target: " + target,
            project,
            project,
            version,
            keep));
    return spec;
  }

  private CliRun run(String... args) {
    var all =
        new java.util.ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun apply() {
    return run("apply", "--yes", "--bake", "0s", "--drain", "0s", "--project", project);
  }

  private String container() throws Exception {
    return TestHosts.containers(project).getFirst();
  }

  private String exec(String script) throws Exception {
    return TestHosts.run("docker", "exec", container(), "sh", "-c", script);
  }

  /** Every file's SHA-256 and every link's target, in a stable order. */
  private String contents() throws Exception {
    return exec(
        "cd /data && find . -type f | sort | while read f; do sha256sum \"$f\"; done; "
            + "find . -type l | sort | while read l; do echo \"$l -> $(ls -l \"$l\" | sed 's/.*-> //')\"; done");
  }

  private static String id(String out) {
    var m = Pattern.compile("(" + "rcbak[a-z0-9]+-production-\\d{8}-\\d{6}-[0-9a-f]{4})")
        .matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
    TestHosts.removeProject(project);
    TestHosts.run("docker", "volume", "rm", "-f", project + "-production-data");
    var tags = TestHosts.run(
            "docker",
            "images",
            "--format",
            "{{.Repository}}:{{.Tag}}",
            "reconcile-backup/" + project + "-web")
        .strip();
    for (var tag : tags.isEmpty() ? List.<String>of() : List.of(tags.split("\n"))) {
      TestHosts.run("docker", "rmi", tag);
    }
  }

  @Test
  void volumeRoundTrip_restoresEveryFileExactly_andTheAppServesAgain() throws Exception {
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    exec(
        "mkdir -p /data/sub && echo hello > /data/sub/a.txt && dd if=/dev/urandom of=/data/bin.dat bs=1k count=64 2>/dev/null"
            + " && dd if=/dev/urandom of=/data/big.dat bs=1M count=100 2>/dev/null && ln -s sub/a.txt /data/link"
            + " && echo hidden > /data/.dot");
    var before = contents();
    assertThat(before)
        .contains("./big.dat", "./bin.dat", "./sub/a.txt", "./.dot", "./link -> sub/a.txt");

    var taken = run("backup", "run", "--project", project);
    assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
    var id = id(taken.out());
    var verify = run("backup", "verify", id);
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("is whole");

    exec("rm -rf /data/* /data/.dot && echo after > /data/written-after.txt");
    var unconfirmed = run("backup", "restore", id);
    assertThat(unconfirmed.exitCode()).isEqualTo(1);
    var restored = run("backup", "restore", id, "--yes");
    assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();

    assertThat(contents()).isEqualTo(before);
    var answer = HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5));
    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
    var images = TestHosts.run(
        "docker",
        "images",
        "--format",
        "{{.Repository}}:{{.Tag}}",
        "reconcile-backup/" + project + "-web");
    assertThat(images).contains("reconcile-backup/" + project + "-web:" + id);
  }

  @Test
  void backupsArePrivate_andWhatAKilledRunLeaves_isSweptByTheNext() throws Exception {
    target = "offsite";
    write("v1", 1);
    assertThat(apply().exitCode()).isZero();
    exec("echo 'a row of someone' > /data/rows.txt");

    // kill -9 while the volume's archive is being written: its hidden folder and its helper stay.
    var argv = new java.util.ArrayList<>(List.of(
        java.nio.file.Path.of("..")
            .toAbsolutePath()
            .normalize()
            .resolve("bin/reconcile")
            .toString(),
        "-f",
        dir.resolve("projects.yml").toString(),
        "backup",
        "run",
        "--project",
        project));
    var command = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile());
    command.environment().put("RECONCILE_TEST_KILL_AFTER", "backup-writing");
    var killed = command.start();
    assertThat(killed.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(killed.exitValue())
        .as(java.nio.file.Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);
    var backups = dir.resolve(".reconcile/backups");
    try (var left = java.nio.file.Files.list(backups)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith(".partial-"));
    }
    assertThat(TestHosts.run("docker", "ps", "-aq", "--filter", "label=reconcile.helper=backup"))
        .isNotBlank();

    var first = run("backup", "run", "--project", project);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    try (var left = java.nio.file.Files.list(backups)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".partial-"));
    }
    assertThat(TestHosts.run("docker", "ps", "-aq", "--filter", "label=reconcile.helper=backup"))
        .isBlank();

    // 0600 files in 0700 folders, here and off-site.
    var firstId = id(first.out());
    for (var root : List.of(backups, dir.resolve("offsite"))) {
      var modes = TestHosts.run(
              "sh",
              "-c",
              "stat -c '%a %n' " + root + " " + root.resolve(firstId) + " " + root.resolve(firstId)
                  + "/*")
          .strip()
          .lines()
          .toList();
      assertThat(modes)
          .as(root.toString())
          .allSatisfy(line -> assertThat(line).matches("(700 .*)|(600 .*)"));
      assertThat(modes.subList(2, modes.size())).allMatch(l -> l.startsWith("600 "));
    }

    // keep: 1: the next backup prunes the first, its off-site copy and the image tag it kept.
    var tagOfFirst = "reconcile-backup/" + project + "-web:" + firstId;
    assertThat(TestHosts.run("docker", "images", "-q", tagOfFirst)).isNotBlank();
    var second = run("backup", "run", "--project", project);
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(backups.resolve(firstId)).doesNotExist();
    assertThat(dir.resolve("offsite").resolve(firstId)).doesNotExist();
    assertThat(TestHosts.run("docker", "images", "-q", tagOfFirst)).isBlank();
  }

  @Test
  void deploy_takesABackupFirst_namedInItsSnapshot_andKeepsOnlyKeep() throws Exception {
    history = 1;
    write("v1", 2);
    var first = apply();
    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .as("nothing runs yet: nothing to back up")
        .doesNotContain("taken before the deploy");

    // history: 1, so only the newest snapshot's backup is kept beyond keep: 2.
    for (var version : List.of("v2", "v1", "v2")) {
      write(version, 2);
      var deploy = apply();
      assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
      assertThat(deploy.out()).contains("taken before the deploy");
    }

    var list = run("--output", "json", "backup", "list", "--project", project);
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .contains(
            "\"reason\" : \"before deploy\"",
            "\"size_bytes\"",
            "\"artifacts\"",
            "\"kept_because\" : \"the newest\"");
    assertThat(Pattern.compile("\"id\" :").matcher(list.out()).results().count())
        .as(list.out())
        .isEqualTo(2);
    var newest = id(list.out());
    try (var snapshots = Files.walk(dir.resolve(".reconcile"))) {
      var named = snapshots
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().contains("/history/"))
          .anyMatch(p -> {
            try {
              return Files.readString(p).contains("\"backup_id\" : \"" + newest + "\"");
            } catch (java.io.IOException e) {
              return false;
            }
          });
      assertThat(named)
          .as("a snapshot names the backup taken before its deploy")
          .isTrue();
    }
  }

  @Test
  void aDamagedArchive_isNamedByVerify() throws Exception {
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    exec("echo data > /data/file.txt");
    var id = id(run("backup", "run", "--project", project).out());
    var archive = dir.resolve(".reconcile/backups/" + id + "/volume-data.tar.gz");
    var bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(archive, bytes);

    var verify = run("backup", "verify", id);

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.err()).contains("is damaged", "volume-data.tar.gz: SHA-256");
  }

  @Test
  void aDamagedArchive_isFoundWhileItStreams_andTheVolumeIsNotTouched() throws Exception {
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    exec("echo before > /data/file.txt");
    var id = id(run("backup", "run", "--project", project).out());
    exec("echo after > /data/file.txt");
    var archive = dir.resolve(".reconcile/backups/" + id + "/volume-data.tar.gz");
    var bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(archive, bytes);

    var restore = run("backup", "restore", id, "--yes");

    assertThat(restore.exitCode()).as(restore.out() + restore.err()).isEqualTo(1);
    // Found by the gzip reader, the tar check or the checksum, whichever meets it first: all
    // before the volume's own files are replaced.
    assertThat(restore.err()).contains("touched");
    assertThat(exec("cat /data/file.txt")).isEqualTo("after\n");
  }

  @Test
  void aBackupThatFails_leavesTheDeployUndone() throws Exception {
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    // The backups folder cannot be made: a file is in its way.
    Files.writeString(dir.resolve(".reconcile/backups"), "not a folder");
    write("v2", 3);

    var deploy = apply();

    assertThat(deploy.exitCode()).isEqualTo(1);
    assertThat(deploy.err())
        .contains("the backup of " + project + "/production failed", "it is not deployed");
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .body())
        .contains("version v1");
    var plan = run("plan", "--detailed-exitcode", "--project", project);
    assertThat(plan.exitCode()).as("the change is still to do").isEqualTo(2);
  }

  @Test
  void rollbackWithRestoreData_bringsBackTheDataOfBeforeTheDeploy() throws Exception {
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    exec("echo before > /data/state.txt");
    write("v2", 3);
    var deploy = apply();
    assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isZero();
    exec("echo after > /data/state.txt && echo new > /data/new.txt");

    var rollback =
        run("rollback", "--project", project, "--env", "production", "--restore-data", "--yes");

    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(rollback.out()).contains("Restored from backup", "taken before the deploy");
    assertThat(exec("cat /data/state.txt; ls /data")).isEqualTo("before\nstate.txt\n");
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .body())
        .contains("version v1");
  }

  @Test
  void anOffSiteCopy_isVerified_andRestoresWhenTheLocalOneIsGone() throws Exception {
    target = "offsite";
    write("v1", 3);
    assertThat(apply().exitCode()).isZero();
    exec("echo precious > /data/file.txt");
    var taken = run("backup", "run", "--project", project);
    assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
    var id = id(taken.out());
    assertThat(dir.resolve("offsite/" + id + "/manifest.json")).exists();
    assertThat(dir.resolve("offsite/" + id + "/volume-data.tar.gz")).exists();

    // The local disk is lost: only the off-site copy is left.
    deleteTree(dir.resolve(".reconcile/backups/" + id));
    exec("echo lost > /data/file.txt");
    assertThat(run("backup", "verify", id).exitCode()).isZero();
    var restored = run("backup", "restore", id, "--yes");

    assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
    assertThat(exec("cat /data/file.txt")).isEqualTo("precious\n");
  }

  /** A project whose app keeps an sqlite file and a text "database" in its volume. */
  private void writeWithDatabases(String notesDump) throws Exception {
    Files.writeString(
        dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/sqlite:1"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
                volumes: { data: /data }
                update: recreate
            backup:
              databases:
                main: { engine: sqlite, container: web, path: /data/app.db }
                notes: { engine: command, container: web, dump: %s, restore: [sh, -c, "cat > /data/notes.txt"] }
        """.formatted(listen, project, project, notesDump));
  }

  private String sql(String statements) throws Exception {
    return TestHosts.run("docker", "exec", container(), "sqlite3", "/data/app.db", statements);
  }

  @Test
  void databaseRoundTrip_rowsDeletedAfterTheBackup_comeBack() throws Exception {
    writeWithDatabases("[cat, /data/notes.txt]");
    assertThat(apply().exitCode()).isZero();
    sql("create table notes(id integer primary key, body text);"
        + " insert into notes(body) values ('first'), ('second'), ('it''s \"quoted\"');");
    exec("printf 'line one\\nline two\\n' > /data/notes.txt");
    var rowsBefore = sql("select id, body from notes order by id;");
    assertThat(rowsBefore).contains("first", "second", "quoted");

    var taken = run("backup", "run", "--project", project);
    assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
    var id = id(taken.out());
    assertThat(dir.resolve(".reconcile/backups/" + id + "/database-main.sql.gz"))
        .exists();
    assertThat(run("backup", "verify", id).exitCode()).isZero();

    sql("delete from notes where id > 1; insert into notes(body) values ('written after');");
    exec("echo overwritten > /data/notes.txt");
    var restored = run("backup", "restore", id, "--databases", "--yes");

    assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
    assertThat(restored.out()).contains("database main", "database notes");
    assertThat(sql("select id, body from notes order by id;")).isEqualTo(rowsBefore);
    assertThat(exec("cat /data/notes.txt")).isEqualTo("line one\nline two\n");
    var answer =
        HttpProbe.get("127.0.0.1", listen, "/health", project + ".test", Duration.ofSeconds(5));
    assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
  }

  @Test
  void aDumpThatFails_namesTheDatabase_andLeavesNoBackup() throws Exception {
    writeWithDatabases("[sh, -c, \"echo partial; echo no such table >&2; exit 3\"]");
    assertThat(apply().exitCode()).isZero();
    sql("create table t(a);");

    var taken = run("backup", "run", "--project", project);

    assertThat(taken.exitCode()).isEqualTo(1);
    assertThat(taken.err()).contains("dumping database notes", "exit 3", "no such table");
    var list = run("--output", "json", "backup", "list", "--project", project);
    assertThat(list.out()).doesNotContain("\"id\"");
    try (var left = Files.list(dir.resolve(".reconcile/backups"))) {
      assertThat(left.toList()).as("no half-written backup is left").isEmpty();
    }
  }

  @Test
  void anSftpTarget_getsAVerifiedCopy_thatRestoresWhenTheLocalOneIsGone() throws Exception {
    try (var sshd = dev.reconcile.testing.TestSshd.start()) {
      var remote = Files.createDirectories(dir.resolve("sftp-server/backups"));
      target = "{ sftp: \"%s@127.0.0.1:%d\", path: \"%s\", identity: \"%s\", known_hosts: \"%s\" }"
          .formatted(
              System.getProperty("user.name"), sshd.port, remote, sshd.clientKey, sshd.knownHosts);
      write("v1", 3);
      assertThat(apply().exitCode()).isZero();
      exec("echo precious > /data/file.txt");

      var taken = run("backup", "run", "--project", project);
      assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
      var id = id(taken.out());
      assertThat(remote.resolve(id + "/manifest.json")).exists();
      assertThat(remote.resolve(id + "/volume-data.tar.gz"))
          .hasSameBinaryContentAs(dir.resolve(".reconcile/backups/" + id + "/volume-data.tar.gz"));

      deleteTree(dir.resolve(".reconcile/backups/" + id));
      exec("echo lost > /data/file.txt");
      var verify = run("backup", "verify", id);
      assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
      var restored = run("backup", "restore", id, "--yes");

      assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
      assertThat(restored.out()).contains("fetched from sftp://");
      assertThat(exec("cat /data/file.txt")).isEqualTo("precious\n");
    }
  }

  @Test
  void anSftpTargetWithAnUnknownKey_isRefused_theLocalBackupStands_untilItsKeyIsTrusted()
      throws Exception {
    try (var sshd = dev.reconcile.testing.TestSshd.start()) {
      var empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
      target = "{ sftp: \"%s@127.0.0.1:%d\", path: \"%s\", identity: \"%s\", known_hosts: \"%s\" }"
          .formatted(
              System.getProperty("user.name"),
              sshd.port,
              dir.resolve("sftp-server"),
              sshd.clientKey,
              empty);
      write("v1", 3);
      assertThat(apply().exitCode()).isZero();

      var taken = run("backup", "run", "--project", project);

      assertThat(taken.exitCode()).isEqualTo(1);
      assertThat(taken.err())
          .contains("backup_target", "SHA256:", "reconcile hosts trust backup_target");
      assertThat(run("--output", "json", "backup", "list", "--project", project).out())
          .contains("\"id\"");

      var trust = run("hosts", "trust", "backup_target", "--yes");
      assertThat(trust.exitCode()).as(trust.out() + trust.err()).isZero();
      var again = run("backup", "run", "--project", project);
      assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
      try (var copies = Files.list(dir.resolve("sftp-server"))) {
        assertThat(copies.toList()).hasSize(1);
      }
    }
  }

  private static void deleteTree(Path folder) throws java.io.IOException {
    try (var files = Files.walk(folder)) {
      for (var p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
