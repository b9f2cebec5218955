package dev.reconcile.providers.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalsTest {
  private static final ResourceId ID = ResourceId.certificate("shop", "prod");
  private static final List<String> NAMES = List.of("shop.example", "www.shop.example");

  @Test
  void ordersAfterRefusals_areSpacedBelowTheCasFailedValidationLimit_andASuccessStartsAfresh(
      @TempDir Path dir) throws Exception {
    var refusals = new Refusals(new FrontDoor(
        new LocalHost("local"), NginxSettings.Managed.DEFAULT, dir, dir.resolve("sites")));
    var now = Instant.parse("2026-12-02T10:00:00Z");
    refusals.check(ID, NAMES, now);

    // A controller that asks as often as it may, for a day: no more than 5 orders in any hour.
    var orders = new java.util.ArrayList<Instant>();
    for (var t = now; t.isBefore(now.plus(Duration.ofDays(1))); t = t.plusSeconds(60)) {
      try {
        refusals.check(ID, NAMES, t);
        orders.add(t);
        refusals.refused(ID, NAMES, t, "urn:ietf:params:acme:error:dns: NXDOMAIN");
      } catch (ProviderException e) {
        assertThat(e.getMessage()).contains("not asking the CA again before").contains("NXDOMAIN");
      }
    }
    for (var order : orders) {
      assertThat(orders.stream()
              .filter(o -> !o.isBefore(order) && o.isBefore(order.plus(Duration.ofHours(1)))))
          .as("orders in the hour from %s (the CA allows 5)", order)
          .hasSizeLessThanOrEqualTo(3);
    }
    assertThat(orders).as("still tried, a few times a day").hasSizeBetween(5, 10);

    var last = orders.getLast();
    assertThatThrownBy(() -> refusals.check(ID, NAMES, last.plusSeconds(60)))
        .isInstanceOf(ProviderException.class);
    refusals.check(ID, List.of("other.example"), last.plusSeconds(60)); // other names: no record
    refusals.obtained(ID);
    refusals.check(ID, NAMES, last.plusSeconds(60));
  }

  @Test
  void aDamagedRecord_spacesNothing(@TempDir Path dir) throws Exception {
    var door = new FrontDoor(
        new LocalHost("local"), NginxSettings.Managed.DEFAULT, dir, dir.resolve("sites"));
    var refusals = new Refusals(door);
    java.nio.file.Files.createDirectories(refusals.file(ID).getParent());
    java.nio.file.Files.writeString(
        refusals.file(ID), "shop.example,www.shop.example\nnot a number\n");
    refusals.check(ID, NAMES, Instant.parse("2026-12-02T10:00:00Z"));
  }
}
