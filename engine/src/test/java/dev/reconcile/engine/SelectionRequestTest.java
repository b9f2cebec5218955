package dev.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionRequestTest {
  private static final dev.reconcile.model.PlatformSpec SPEC = SpecValidator.standard()
      .validate("""
          version: 1
          projects:
            shop:
              domains: { production: shop.test }
              containers: { web: { image: "shop/web:1", port: 80 } }
          """.getBytes(StandardCharsets.UTF_8), "p.yml")
      .spec()
      .orElseThrow();

  private static final List<String> HISTORY = List.of("shop/production", "blog/staging");

  @Test
  void aNameTheSpecDeclares_isAccepted() {
    assertThat(new SelectionRequest(List.of("shop"), List.of("production"))
            .check(SPEC, "p.yml")
            .hasErrors())
        .isFalse();
  }

  @Test
  void aNameWithAHistoryOnly_isAcceptedWhereRemovedOnesAre_andRefusedElsewhere() {
    var removed = new SelectionRequest(List.of("blog"), List.of("staging"), true);
    assertThat(removed.check(SPEC, "p.yml", HISTORY).hasErrors()).isFalse();
    assertThat(removed.check(SPEC, "p.yml").hasErrors()).as("no history given").isTrue();

    var declaredOnly = new SelectionRequest(List.of("blog"), List.of(), false);
    assertThat(declaredOnly.check(SPEC, "p.yml", HISTORY).hasErrors()).isTrue();
  }

  @Test
  void aNameWithNeither_isRefusedNamingWhatIsDeclared() {
    var typo = new SelectionRequest(List.of("nope"), List.of(), true);
    var diagnostics = typo.check(SPEC, "p.yml", HISTORY);
    assertThat(diagnostics.hasErrors()).isTrue();
    assertThat(diagnostics.toString()).contains("--project nope: p.yml declares no project");
  }
}
