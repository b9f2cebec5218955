package dev.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.render.MarkdownPlanRenderer;
import dev.reconcile.render.TextPlanRenderer;
import dev.reconcile.testing.Golden;
import dev.reconcile.testing.ObservedFixture;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each folder of {@code plans/} is one case: {@code projects.yml} (or {@code base.yml}), {@code
 * observed.json} (absent: an empty host) and optional {@code args}; the plan is compared with its
 * golden {@code plan.txt}, {@code plan.json} and {@code plan.md}.
 */
class PlanGoldenTest {
  static final Path ROOT = Path.of("src/test/resources/plans");
  static final Map<String, String> SECRETS = Map.of(
      "DATABASE_URL", "postgres://shop:hunter2@db:5432/shop",
      "SECRET_KEY", "s3cr3t-k3y-value",
      "DB_PASSWORD", "hunter2");

  static Stream<Path> cases() {
    return Golden.cases(ROOT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plan_case_matchesGoldenRenderings(Path dir) throws IOException {
    var plan = planOf(dir);

    Golden.assertMatches(dir.resolve("plan.txt"), new TextPlanRenderer(false).render(plan));
    Golden.assertMatches(dir.resolve("plan.json"), PlanJson.write(plan));
    Golden.assertMatches(dir.resolve("plan.md"), new MarkdownPlanRenderer().render(plan));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plan_case_neverShowsASecretValue(Path dir) throws IOException {
    var plan = planOf(dir);
    var all = new TextPlanRenderer(true).render(plan)
        + PlanJson.write(plan)
        + new MarkdownPlanRenderer().render(plan)
        // A change carries its declared resource; printed, it must not say the env it holds.
        + plan;

    SECRETS.values().forEach(secret -> assertThat(all).doesNotContain(secret));
  }

  static Plan planOf(Path dir) throws IOException {
    var specFile = Files.exists(dir.resolve("projects.yml"))
        ? dir.resolve("projects.yml")
        : ROOT.resolve("base.yml");
    var validated = SpecValidator.standard().validate(specFile, "projects.yml");
    assertThat(validated.diagnostics().hasErrors())
        .as(validated.diagnostics().toString())
        .isFalse();
    var args = Files.exists(dir.resolve("args"))
        ? List.of(Files.readString(dir.resolve("args")).trim().split(" "))
        : List.<String>of();
    var env = new HashMap<>(SECRETS);
    if (args.contains("unset")) {
      env.remove(args.get(args.indexOf("unset") + 1));
    }
    DesiredState desired = new Expander(
            (project, environment) -> name -> Optional.ofNullable(env.get(name)))
        .expand(validated.spec().orElseThrow(), Selection.ALL);
    var observed = ObservedFixture.read(dir.resolve("observed.json"), desired);
    return Differ.diff(desired, observed, new DiffOptions(args.contains("--delete-volumes")));
  }
}
