package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reconcile.schemas.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, formats and errors of {@code reconcile plan}, over the golden plan cases. */
class PlanCommandTest {
  private static final Path PLANS = Path.of("../core/src/test/resources/plans");
  private static final Map<String, String> ENV = Map.of(
      "DATABASE_URL",
      "postgres://shop:hunter2@db/shop",
      "SECRET_KEY",
      "s3cr3t-k3y-value",
      "DB_PASSWORD",
      "hunter2");

  private static CliRun plan(String caseName, String... args) {
    var all = new String[args.length + 3];
    all[0] = "-f";
    all[1] = PLANS.resolve("base.yml").toString();
    all[2] = "plan";
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.with(
        () -> FixtureProvider.reconciliation(PLANS.resolve(caseName).resolve("observed.json"), ENV),
        all);
  }

  @Test
  void plan_nothingToChange_exitsZeroEvenWithDetailedExitCode() {
    var run = plan("in_sync", "--detailed-exitcode");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("No changes");
  }

  @Test
  void plan_changes_exitZeroOrTwoWithDetailedExitCode() {
    assertThat(plan("image_bumped").exitCode()).isZero();
    var run = plan("image_bumped", "--detailed-exitcode");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out())
        .contains(
            "-/+ container:shop/production/backend  (blue-green, no downtime)",
            "image ghcr.io/acme/shop-backend:1.4.1 -> 1.4.2");
  }

  @Test
  void plan_failOnDowntime_exitsOneNamingTheChange() {
    var run = plan("recreate_database", "--detailed-exitcode", "--fail-on-downtime");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("would interrupt traffic", "container:shop/production/db: brief outage");
    assertThat(plan("image_bumped", "--fail-on-downtime").exitCode()).isZero();
  }

  @Test
  void plan_withProblems_exitsOne() {
    var run = plan("conflict_on_listen_port");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("legacy-proxy");
    assertThat(run.err()).contains("1 problem(s) must be fixed");
  }

  @Test
  void plan_json_isValidAgainstThePlanSchema() throws Exception {
    var run = plan("env_changed", "--format", "json");
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Schemas.text(Schemas.PLAN));

    assertThat(schema.validate(new ObjectMapper().readTree(run.out()))).isEmpty();
    assertThat(run.out())
        .contains("\"env SECRET_KEY changed (value hidden)\"")
        .doesNotContain("s3cr3t");
  }

  @Test
  void plan_markdown_printsTheTableAndDetails() {
    var run = plan("image_bumped", "--format", "markdown");

    assertThat(run.out())
        .startsWith("### reconcile plan")
        .contains("| `-/+` | `container:shop/production/backend`", "<details>");
  }

  @Test
  void plan_out_savesTheJsonPlan(@TempDir Path dir) throws Exception {
    var file = dir.resolve("plan.json");

    var run = plan("image_bumped", "--out", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readString(file))
        .isEqualTo(plan("image_bumped", "--format", "json").out());
    assertThat(run.err()).contains("Saved the plan to " + file);
  }

  @Test
  void plan_unknownProject_isRefusedWithASuggestion() {
    var run = plan("in_sync", "--project", "shoop");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--project shoop", "did you mean 'shop'?");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void plan_unreachableEngine_namesHostAddressAndWhatToCheck(@TempDir Path dir) throws Exception {
    var spec = specOnHost(dir, "docker: \"unix:///tmp/reconcile-test-no-such-engine.sock\"");

    var run = CliRun.of("-f", spec.toString(), "plan");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "cannot observe host local (unix:///tmp/reconcile-test-no-such-engine.sock)",
            "cannot reach the Docker engine",
            "hint: is dockerd running?",
            "Nothing was planned.")
        .doesNotContain("Exception in thread", "\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void plan_engineThatAcceptsAndNeverAnswers_failsAtTheHostsTimeoutNamingIt(@TempDir Path dir)
      throws Exception {
    // An engine socket that takes every connection and never says a word.
    var socket = dir.resolve("silent.sock");
    try (var server =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(socket));
      var held = new java.util.concurrent.CopyOnWriteArrayList<java.nio.channels.SocketChannel>();
      var acceptor = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            held.add(server.accept());
          }
        } catch (java.io.IOException e) {
          // Closed at the end of the test.
        }
      });
      var spec = specOnHost(dir, "docker: \"unix://" + socket + "\", timeout: 1s");

      var run = CliRun.of("-f", spec.toString(), "plan");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .contains(
              "cannot observe host local (unix://" + socket + ")",
              "accepted the connection but did not answer in time",
              "platform.hosts.NAME.timeout")
          .doesNotContain("\tat ");
      server.close();
      acceptor.join();
      for (var channel : held) {
        channel.close();
      }
    }
  }

  /** One project on host {@code local}, declared as {@code { HOST }}. */
  private static Path specOnHost(Path dir, String host) throws java.io.IOException {
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          hosts:
            local: { %s }
        projects:
          hello:
            domains: { production: hello.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080 }
        """.formatted(host));
    return spec;
  }
}
