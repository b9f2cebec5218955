package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartOrderTest {
  @Test
  void containersStartAfterWhatTheyDependOn_otherwiseInPlanOrder() {
    var spec = SpecValidator.standard()
        .validate("""
        version: 1
        projects:
          crm:
            domains: { production: crm.test }
            containers:
              api: { image: "crm/app:1", port: 8000, api_locations: [/api], depends_on: [db, cache] }
              web: { image: "crm/web:1", port: 80, depends_on: [api] }
              cache: { image: "redis:7" }
              db: { image: "postgres:16" }
              worker: { image: "crm/app:1" }
        """.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var containers =
        Differ.diff(desired, ObservedState.EMPTY, DiffOptions.DEFAULT).changes().stream()
            .filter(c -> c.id().kind() == ResourceKind.CONTAINER)
            .toList();

    assertThat(StartOrder.of(containers))
        .extracting(c -> c.id().name().orElseThrow())
        .containsExactly("cache", "db", "api", "web", "worker");
  }
}
