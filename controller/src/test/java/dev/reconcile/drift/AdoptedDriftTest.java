package dev.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Reason;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A container taken over that runs again (compose up after the move) is drift of its own kind. */
class AdoptedDriftTest {
  @Test
  void aTakenOverContainerRunningAgain_isAdoptedRunning_sayingWhichAndHowToHeal() {
    var change = new Change(
        ResourceId.adoption("shop", "production"),
        Action.UPDATE,
        Optional.empty(),
        Optional.empty(),
        Optional.of("0".repeat(64)),
        Optional.empty(),
        List.of(Reason.of(
            "adopt", "stops shop_web_1 (kept) once the front door serves reconcile's containers")),
        TrafficImpact.NONE,
        List.of());

    var item = DriftDetector.drift(change, "shop/production");

    assertThat(item.kind()).isEqualTo("adopted-running");
    assertThat(item.detail()).contains("stops shop_web_1 (kept)");
    assertThat(item.fix()).contains("reconcile drift --heal");
  }
}
