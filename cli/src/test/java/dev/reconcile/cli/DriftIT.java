package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.schemas.Schemas;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconcile drift against the real engine and nginx: every kind made by hand is found and put
 * back, drift is told from pending, and nothing is reported where nothing changed by hand.
 */
class DriftIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t-drift-value";

  @TempDir
  Path dir;

  private final String project =
      "rcdr" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();

  /** platform.notify, when a test listens for the webhook. */
  private String notify = "";

  private void write(String version) throws Exception {
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          %s
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                env: { GREETING: hello, API_TOKEN: "%s" }
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(
            listen, notify, project, project, version, SECRET));
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun apply() {
    return run("apply", "--yes", "--bake", "0s", "--drain", "0s");
  }

  private JsonNode drift() throws Exception {
    var run = run("drift", "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isIn(0, 2);
    var json = JSON.readTree(run.out());
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Schemas.text(Schemas.DRIFT));
    assertThat(schema.validate(json)).as(run.out()).isEmpty();
    assertThat(run.out()).doesNotContain(SECRET);
    assertThat(run.exitCode()).isEqualTo(json.path("in_sync").asBoolean() ? 0 : 2);
    return json;
  }

  private static List<String> kinds(JsonNode report, String driftClass) {
    var out = new ArrayList<String>();
    report.path("items").forEach(i -> {
      if (i.path("class").asText().equals(driftClass)) {
        out.add(i.path("kind").asText());
      }
    });
    return out;
  }

  private String container() throws Exception {
    return TestHosts.run("docker", "ps", "-q", "--filter", "label=reconcile.project=" + project)
        .strip();
  }

  private void heal() {
    var healed = run("drift", "--heal", "--yes");
    assertThat(healed.exitCode()).as(healed.out() + healed.err()).isZero();
    assertThat(healed.out()).contains("healed " + project + "/production");
  }

  private String served() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
        .body();
  }

  @BeforeEach
  void deploy() throws Exception {
    write("v1");
    var first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
    TestHosts.removeProject(project);
  }

  @Test
  void justApplied_isInSync() throws Exception {
    var report = drift();

    assertThat(report.path("in_sync").asBoolean()).as(report.toString()).isTrue();
    assertThat(report.path("environments").get(0).path("state").asText()).isEqualTo("in-sync");
  }

  @Test
  void eachKindMadeByHand_isFoundAsDrift_andHealedBackToTheSnapshot() throws Exception {
    TestHosts.run("docker", "rm", "-f", container());
    assertThat(kinds(drift(), "drift")).containsExactly("container-missing");
    heal();

    TestHosts.run("docker", "stop", container());
    assertThat(kinds(drift(), "drift")).containsExactly("container-stopped");
    heal();

    TestHosts.run("docker", "restart", container());
    assertThat(kinds(drift(), "drift")).containsExactly("restarted");
    heal();

    var site = sitesFile();
    Files.writeString(site, Files.readString(site) + "\n# edited by hand\n");
    assertThat(kinds(drift(), "drift")).containsExactly("site-edited");
    heal();

    Files.delete(sitesFile());
    assertThat(kinds(drift(), "drift")).containsExactly("site-missing");
    heal();

    run("nginx", "stop");
    assertThat(kinds(drift(), "drift")).containsExactly("nginx-down");
    heal();

    recreateByHand("GREETING=hello", "reconcile-test/web:v2");
    assertThat(kinds(drift(), "drift")).containsExactly("image-changed");
    heal();

    // A second slot beside the live one, as an interrupted apply could leave.
    var live = TestHosts.run("docker", "inspect", "-f", "{{.Name}}", container())
        .strip()
        .substring(1);
    var other = live.endsWith("-blue") ? "green" : "blue";
    copyWith(other, live.substring(0, live.lastIndexOf('-') + 1) + other);
    assertThat(kinds(drift(), "drift")).containsExactly("slot-leftover");
    heal();

    recreateByHand("GREETING=changed by hand");
    var envChanged = drift();
    assertThat(kinds(envChanged, "drift")).containsExactly("env-changed");
    assertThat(envChanged.toString()).contains("GREETING");
    heal();

    // Someone's own container takes the managed container's name.
    var managed = TestHosts.run("docker", "inspect", "-f", "{{.Name}}", container())
        .strip()
        .substring(1);
    TestHosts.run("docker", "rm", "-f", container());
    TestHosts.run(
        "docker",
        "run",
        "-d",
        "--name",
        managed,
        "--label",
        "reconcile.test=true",
        "reconcile-test/web:v1",
        "sleep",
        "600");
    assertThat(kinds(drift(), "drift")).contains("container-missing", "unmanaged-conflict");
    TestHosts.run("docker", "rm", "-f", managed);
    heal();

    assertThat(drift().path("in_sync").asBoolean()).isTrue();
    assertThat(served()).contains("version v1");
    assertThat(run("history", "--project", project).out()).contains("(heal)");
  }

  @Test
  void pendingAndDrift_areToldApart_andHealLeavesPendingUnlessAsked() throws Exception {
    write("v2");
    TestHosts.run("docker", "stop", container());

    var both = drift();
    assertThat(kinds(both, "drift")).containsExactly("container-stopped");
    assertThat(kinds(both, "pending")).containsExactly("declared-replace");
    assertThat(both.toString()).contains("reconcile apply --project " + project);

    var healed = run("drift", "--heal", "--yes");
    assertThat(healed.exitCode()).as("pending is left: still exit 2").isEqualTo(2);
    assertThat(served()).contains("version v1");
    var after = drift();
    assertThat(kinds(after, "drift")).isEmpty();
    assertThat(kinds(after, "pending")).containsExactly("declared-replace");

    var all = run("drift", "--heal", "--include-pending", "--yes");
    assertThat(all.exitCode()).as(all.out() + all.err()).isZero();
    assertThat(served()).contains("version v2");
    assertThat(drift().path("in_sync").asBoolean()).isTrue();
  }

  @Test
  void aHeldEnvironment_hasNoPending_andOneBeingAppliedIsNotCompared() throws Exception {
    write("v2");
    assertThat(apply().exitCode()).isZero();
    var rollback = run("rollback", "--project", project, "--env", "production", "--yes");
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();

    var held = drift();
    assertThat(held.path("in_sync").asBoolean()).as(held.toString()).isTrue();
    assertThat(held.path("environments").get(0).path("state").asText()).isEqualTo("held");

    var state = dir.resolve(".reconcile");
    var lock = (dev.reconcile.lock.EnvironmentLock.Attempt.Acquired)
        dev.reconcile.lock.EnvironmentLock.acquire(
            state, project + "/production", java.time.Clock.systemUTC());
    try (var l = lock.lock()) {
      TestHosts.run("docker", "stop", container());
      var applying = drift();
      assertThat(applying.path("in_sync").asBoolean())
          .as("mid-apply: never drifted")
          .isTrue();
      assertThat(applying.path("environments").get(0).path("state").asText()).isEqualTo("applying");
    }
    assertThat(kinds(drift(), "drift")).containsExactly("container-stopped");
  }

  @Test
  void anOperatorsApplyEndedHalfWay_isInterruptedNotDrift_butAHealEndedHalfWay_isHealedAgain()
      throws Exception {
    var key = project + "/production";
    var journal = new dev.reconcile.store.ApplyJournal(dir.resolve(".reconcile"));
    TestHosts.run("docker", "rm", "-f", container());

    journal.begin(
        key,
        new dev.reconcile.store.ApplyJournal.Entry("ops", 4242, "2026-12-02T10:00:00Z", "apply"));
    var interrupted = drift();
    assertThat(interrupted.path("environments").get(0).path("state").asText())
        .isEqualTo("interrupted");
    assertThat(kinds(interrupted, "drift"))
        .as("what runs is that apply's half, not drift")
        .isEmpty();
    assertThat(kinds(interrupted, "pending")).containsExactly("apply-interrupted");
    assertThat(run("drift", "--heal", "--yes").out()).doesNotContain("healed " + key);

    journal.begin(
        key,
        new dev.reconcile.store.ApplyJournal.Entry("ops", 4242, "2026-12-02T10:00:00Z", "heal"));
    assertThat(kinds(drift(), "drift")).containsExactly("container-missing");
    heal();
    assertThat(served()).contains("version v1");
    assertThat(journal.unfinished(key))
        .as("the heal recorded what the broken one left")
        .isEmpty();
    assertThat(drift().path("in_sync").asBoolean()).isTrue();
  }

  @Test
  void aContainerAHealEndedHalfWayStarted_isNotRestartedDrift() throws Exception {
    var key = project + "/production";
    var journal = new dev.reconcile.store.ApplyJournal(dir.resolve(".reconcile"));
    // The heal's record, as a controller killed while it heals leaves it; then the container it
    // started.
    journal.begin(
        key,
        new dev.reconcile.store.ApplyJournal.Entry(
            "ops", 4242, java.time.Instant.now().toString(), "heal"));
    TestHosts.run("docker", "restart", container());

    assertThat(kinds(drift(), "drift"))
        .as("the heal's own start, not a restart by someone")
        .isEmpty();
  }

  @Test
  void heal_underLoad_failsNoRequest() throws Exception {
    TestHosts.run("docker", "restart", container());
    assertThat(kinds(drift(), "drift")).containsExactly("restarted");
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    try {
      heal();
    } finally {
      load.stop();
    }
    assertThat(load.failures()).isEmpty();
    assertThat(load.answers()).isNotEmpty();
  }

  private Path sitesFile() throws Exception {
    try (var files = Files.walk(dir.resolve(".reconcile"))) {
      return files
          .filter(p -> p.getFileName().toString().equals(project + ".production.conf"))
          .findFirst()
          .orElseThrow();
    }
  }

  private String hostPort() throws Exception {
    var line = TestHosts.run("docker", "port", container(), "8080").strip();
    return line.substring(line.lastIndexOf(':') + 1);
  }

  private void recreateByHand(String env) throws Exception {
    recreateByHand(env, "reconcile-test/web:v1");
  }

  /** Runs a copy of the live container (same labels but the slot, no port) under another name. */
  private void copyWith(String slot, String name) throws Exception {
    var id = container();
    var labels =
        JSON.readTree(TestHosts.run("docker", "inspect", "-f", "{{json .Config.Labels}}", id));
    var argv = new ArrayList<>(List.of("docker", "run", "-d", "--name", name));
    labels
        .properties()
        .forEach(e -> argv.addAll(List.of(
            "--label",
            e.getKey() + "="
                + (e.getKey().equals("reconcile.slot") ? slot : e.getValue().asText()))));
    argv.add("reconcile-test/web:v1");
    TestHosts.run(argv.toArray(String[]::new));
  }

  /**
   * Removes the container and runs one with the same name, labels and port, but other env or
   * another image.
   */
  private void recreateByHand(String env, String image) throws Exception {
    var id = container();
    var name = TestHosts.run("docker", "inspect", "-f", "{{.Name}}", id).strip().substring(1);
    var labels =
        JSON.readTree(TestHosts.run("docker", "inspect", "-f", "{{json .Config.Labels}}", id));
    var envs = JSON.readTree(TestHosts.run("docker", "inspect", "-f", "{{json .Config.Env}}", id));
    var port = hostPort();
    TestHosts.run("docker", "rm", "-f", id);
    var argv = new ArrayList<>(
        List.of("docker", "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":8080"));
    labels
        .properties()
        .forEach(
            e -> argv.addAll(List.of("--label", e.getKey() + "=" + e.getValue().asText())));
    var changed = env.substring(0, env.indexOf('='));
    envs.forEach(e -> {
      if (!e.asText().startsWith(changed + "=")) {
        argv.addAll(List.of("-e", e.asText()));
      }
    });
    argv.addAll(List.of("-e", env, image));
    TestHosts.run(argv.toArray(String[]::new));
  }

  @Test
  void theWebhook_hearsDeploysHealsAndNewDriftOnce_andNeverASecret() throws Exception {
    var bodies = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(
          exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      notify = "notify: { webhook: \"http://127.0.0.1:" + server.getAddress().getPort()
          + "/hook\", format: json }";
      write("v2");
      assertThat(apply().exitCode()).isZero();
      TestHosts.run("docker", "stop", container());
      drift();
      drift();
      heal();

      assertThat(bodies)
          .anyMatch(b -> b.contains("\"type\":\"apply\"") && b.contains("\"outcome\":\"applied\""));
      assertThat(bodies.stream().filter(b -> b.contains("\"type\":\"drift\"")).toList())
          .as("the same drift is sent once")
          .singleElement()
          .asString()
          .contains("container-stopped");
      assertThat(bodies)
          .anyMatch(b -> b.contains("\"type\":\"heal\"") && b.contains("\"outcome\":\"applied\""));
      assertThat(bodies).noneMatch(b -> b.contains(SECRET));
      var audit = Files.readString(dir.resolve(".reconcile/audit.log"));
      assertThat(audit.lines().count())
          .as("the deploy before the webhook was set is logged too")
          .isEqualTo(bodies.size() + 1);
      assertThat(audit).doesNotContain(SECRET);
    } finally {
      server.stop(0);
    }
  }
}
