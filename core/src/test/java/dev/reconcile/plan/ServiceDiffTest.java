package dev.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A service the engine is still rolling out to the declared spec (an apply was killed in the
 * middle) is followed, not left: nginx still routes to the tasks of the kill.
 */
class ServiceDiffTest {
  private static DesiredService web() {
    var spec = SpecValidator.standard()
        .validate("""
            version: 1
            platform:
              hosts: { cluster: { swarm: "unix:///var/run/docker.sock" } }
            projects:
              shop:
                host: cluster
                domains: { production: shop.example.com }
                containers:
                  web: { image: "shop/web:1.0", port: 8080, replicas: 3 }
            """.getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    return (DesiredService) new Expander(Variables.NONE)
        .expand(spec, Selection.ALL)
        .get(ResourceId.service("shop", "production", "web"))
        .orElseThrow();
  }

  private static ObservedService found(DesiredService desired, int replicas, String state) {
    return new ObservedService(
        desired.id(),
        "cluster",
        "abc123",
        "shop-web-production",
        desired.specHash(),
        Optional.of(desired.container().fingerprint()),
        desired.replicas(),
        replicas,
        replicas,
        "shop/web:1.0",
        List.of("10.0.0.2:30001"),
        Optional.of(state));
  }

  @Test
  void theDeclaredSpec_stillRollingOut_isFollowed() {
    var desired = web();

    var change = ServiceDiff.of(desired, Optional.of(found(desired, 3, "updating")));

    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("the engine is still rolling this spec out (an earlier apply ended "
            + "before it did): followed to its end, nginx moving with the tasks");
  }

  @Test
  void theDeclaredSpec_rolledOut_isLeftAlone_andReplicasScaledByHandAreNamed() {
    var desired = web();

    assertThat(
            ServiceDiff.of(desired, Optional.of(found(desired, 3, "completed"))).action())
        .isEqualTo(Action.NOOP);
    assertThat(
            ServiceDiff.of(desired, Optional.of(found(desired, 5, "updating"))).reasons())
        .extracting(Reason::text)
        .containsExactly("replicas 5 (scaled outside reconcile), declared 3");
  }
}
