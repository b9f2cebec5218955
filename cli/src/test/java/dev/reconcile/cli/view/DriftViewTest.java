package dev.reconcile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reconcile.drift.DriftClass;
import dev.reconcile.drift.DriftItem;
import dev.reconcile.drift.DriftReport;
import dev.reconcile.drift.EnvironmentStatus;
import dev.reconcile.schemas.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftViewTest {
  private static final DriftReport REPORT = new DriftReport(
      List.of(
          new DriftItem(
              "drift:container-stopped:container:shop/production/web",
              DriftClass.DRIFT,
              "container-stopped",
              "shop/production",
              "container:shop/production/web",
              "container:shop/production/web does not run",
              Optional.of("2026-11-30T10:00:00Z"),
              "reconcile drift --heal --project shop --env production --yes"),
          new DriftItem(
              "pending:declared-replace:container:shop/staging/web",
              DriftClass.PENDING,
              "declared-replace",
              "shop/staging",
              "container:shop/staging/web",
              "replace | container: image web:1 -> 2",
              Optional.empty(),
              "reconcile apply --project shop --env staging")),
      List.of(
          new EnvironmentStatus(
              "shop/production",
              EnvironmentStatus.State.DRIFTED,
              Optional.of(3),
              Optional.of("2026-11-30T09:00:00Z"),
              Optional.empty()),
          new EnvironmentStatus(
              "shop/staging",
              EnvironmentStatus.State.PENDING,
              Optional.empty(),
              Optional.empty(),
              Optional.empty()),
          new EnvironmentStatus(
              "blog/production",
              EnvironmentStatus.State.APPLYING,
              Optional.of(1),
              Optional.of("2026-11-30T08:00:00Z"),
              Optional.of("an apply holds its lock"))));

  private static String render(DriftView.Format format) {
    return render(format, DriftView.Fixing.NOTHING);
  }

  private static String render(DriftView.Format format, DriftView.Fixing fixing) {
    var out = new ByteArrayOutputStream();
    var terminal = Terminal.captured(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    new DriftView(terminal, format).report(REPORT, fixing);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void json_isValidAgainstTheDriftSchema_andCountsEachClass() throws Exception {
    var json = new ObjectMapper().readTree(render(DriftView.Format.json));
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Schemas.text(Schemas.DRIFT));

    assertThat(schema.validate(json)).isEmpty();
    assertThat(json.path("summary").path("drift").asInt()).isEqualTo(1);
    assertThat(json.path("summary").path("pending").asInt()).isEqualTo(1);
    assertThat(json.path("items").get(1).path("since").isNull()).isTrue();
  }

  @Test
  void text_saysEachEnvironmentAndTheCommandsThatFixIt() {
    var text = render(DriftView.Format.text);

    assertThat(text)
        .contains(
            "shop/production: drifted (last apply: snapshot #3",
            "shop/staging: pending (never applied)",
            "blog/production: applying",
            "an apply holds its lock",
            "1 drifted (changed outside reconcile), 1 pending",
            "reconcile drift --heal --project shop --env production --yes",
            "reconcile apply --project shop --env staging");
  }

  @Test
  void text_ofARunThatHeals_doesNotTellTheUserToRunWhatFollows() {
    var healing = render(DriftView.Format.text, DriftView.Fixing.DRIFT);
    var healingAll = render(DriftView.Format.text, DriftView.Fixing.DRIFT_AND_PENDING);

    assertThat(healing)
        .contains("1 drifted (changed outside reconcile), 1 pending")
        .doesNotContain("reconcile drift --heal")
        .contains("reconcile apply --project shop --env staging");
    assertThat(healingAll).doesNotContain("reconcile drift --heal", "reconcile apply");
  }

  @Test
  void markdown_escapesTablePipes() {
    var markdown = render(DriftView.Format.markdown);

    assertThat(markdown).startsWith("### reconcile drift").contains("replace \\| container");
  }
}
