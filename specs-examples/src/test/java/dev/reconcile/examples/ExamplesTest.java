package dev.reconcile.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.export.KubernetesExport;
import dev.reconcile.export.Manifests;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.testing.Golden;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example users are pointed at is valid, with no warning either, and plans on an empty host
 * to creating everything it declares, with no problem to fix first.
 */
class ExamplesTest {
  private static final SpecValidator VALIDATOR = SpecValidator.standard();

  static Stream<Path> examples() throws IOException {
    try (var files = Files.list(Path.of("."))) {
      var list = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
      assertThat(list).hasSizeGreaterThanOrEqualTo(4);
      return list.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void validate_example_isValidWithoutWarnings(Path example) {
    var result = VALIDATOR.validate(example, example.getFileName().toString());

    assertThat(result.diagnostics().isEmpty())
        .as(result.diagnostics().toString())
        .isTrue();
    assertThat(result.isValid()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void plan_exampleOnEmptyHost_createsEverythingWithoutProblems(Path example) {
    var spec =
        VALIDATOR.validate(example, example.getFileName().toString()).spec().orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);

    var plan = Differ.diff(desired, ObservedState.EMPTY, DiffOptions.DEFAULT);

    assertThat(plan.changes())
        .hasSize(desired.resources().size())
        .allMatch(c -> c.action() == Action.CREATE);
    assertThat(plan.problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exportKubernetes_example_passesTheStrictCheck(Path example) throws Exception {
    var spec =
        VALIDATOR.validate(example, example.getFileName().toString()).spec().orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);

    var environments = KubernetesExport.of(desired);

    assertThat(environments).isNotEmpty();
    for (var environment : environments) {
      assertThat(Manifests.check(environment.objects()))
          .as(environment.project() + "/" + environment.environment())
          .isEmpty();
    }
  }

  /** Two examples' manifests, in full: what the export writes is reviewed like a plan. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"filter-ical.yml", "with-database.yml"})
  void exportKubernetes_example_matchesItsGoldenManifests(String example) throws Exception {
    var spec = VALIDATOR.validate(Path.of(example), example).spec().orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var text = new StringBuilder();
    for (var environment : KubernetesExport.of(desired)) {
      text.append("# ")
          .append(environment.project())
          .append('/')
          .append(environment.environment())
          .append(" (Secret ")
          .append(environment.secret())
          .append(": ")
          .append(environment.secretKeys())
          .append(")\n")
          .append(Manifests.yaml(environment.objects()))
          .append("---\n");
    }
    Golden.assertMatches(
        Path.of("src/test/resources/kubernetes").resolve(example.replace(".yml", ".yaml")),
        text.toString());
  }
}
