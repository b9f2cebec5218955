package dev.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When one desired state's observation serves another (a heal plans towards the snapshot
 * projects.yml matches, a moment after observing for projects.yml): only when observing would
 * ask the same.
 */
class ObservesAlikeTest {
  private static DesiredState desired(String image, String env, Selection selection) {
    var yaml = """
        version: 1
        projects:
          shop:
            domains: { production: shop.test, staging: staging.shop.test }
            containers:
              web: { image: "%s", port: 80, env: { GREETING: "%s" }, volumes: { data: /d } }
              db: { image: "postgres:16" }
        """.formatted(image, env);
    var spec = SpecValidator.standard()
        .validate(yaml.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    return new Expander((p, e) -> n -> Optional.empty()).expand(spec, selection);
  }

  @Test
  void theSameImagesAndResources_observeAlike_whateverElseDiffers() {
    var all = new Selection(Set.of("shop"), Set.of());
    assertThat(ObservedStateCollector.observesAlike(
            desired("web:1", "hi", all), desired("web:1", "hello", all)))
        .as("an env value is not observed")
        .isTrue();
  }

  @Test
  void anotherImage_orAnotherSelection_observesDifferently() {
    var all = new Selection(Set.of("shop"), Set.of());
    assertThat(ObservedStateCollector.observesAlike(
            desired("web:1", "hi", all), desired("web:2", "hi", all)))
        .as("the tag looked up differs")
        .isFalse();
    assertThat(ObservedStateCollector.observesAlike(
            desired("web:1", "hi", all),
            desired("web:1", "hi", new Selection(Set.of("shop"), Set.of("staging")))))
        .isFalse();
  }
}
