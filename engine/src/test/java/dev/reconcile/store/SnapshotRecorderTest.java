package dev.reconcile.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.SecretDigest;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots from what runs, with time from a fixed clock: serials, lineage, origin, no secrets. */
class SnapshotRecorderTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final SecretDigest SECRETS = SecretDigest.withKey(new byte[] {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32
  });

  @TempDir
  Path dir;

  private final DesiredState desired = new Expander(Variables.NONE.withSecrets(SECRETS))
      .expand(
          SpecValidator.standard()
              .validate("""
          version: 1
          projects:
            shop:
              domains: { production: shop.example.com }
              containers:
                web: { image: "shop/web:1", port: 8080, env: { API_TOKEN: written-out-secret } }
          """.getBytes(StandardCharsets.UTF_8), "p.yml")
              .spec()
              .orElseThrow(),
          Selection.ALL);

  private SnapshotRecorder recorder() {
    return new SnapshotRecorder(
        new FileSnapshotStore(dir, 10), Clock.fixed(NOW, ZoneOffset.UTC), dir, SECRETS);
  }

  private ObservedState running() {
    var web = desired.all(DesiredContainer.class).findFirst().orElseThrow();
    return ObservedState.of(
        List.of(new ObservedContainer(
            web.id(),
            "local",
            "c1",
            "shop-web-production-blue",
            "blue",
            "shop/web:1",
            "sha256:" + "a".repeat(64),
            "running",
            Optional.empty(),
            OptionalInt.of(20000),
            web.specHash(),
            Optional.of(web.fingerprint()),
            java.util.List.of("reconcile-egress"))),
        List.of(),
        List.of());
  }

  @Test
  void record_twoApplies_numberOneLineageAtTheClocksTime() throws Exception {
    var first = recorder().record("shop/production", Optional.empty(), running(), desired, "apply");
    var second = recorder()
        .record("shop/production", Optional.empty(), running(), desired, "rollback to #1");

    assertThat(first.serial()).isEqualTo(1);
    assertThat(second.serial()).isEqualTo(2);
    assertThat(second.lineage()).isEqualTo(first.lineage());
    assertThat(first.time()).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(second.origin()).contains("rollback to #1");
    assertThat(first.containers()).singleElement().satisfies(c -> {
      assertThat(c.hostPort()).contains(20000);
      assertThat(c.spec().orElseThrow())
          .contains("hidden_env")
          .doesNotContain("written-out-secret");
    });
  }

  @Test
  void recordInterrupted_saysWhoseApplyDiedAndRecordsWhatRunsNow() throws Exception {
    var entry = new ApplyJournal.Entry("alice", 4242, "2026-11-30T11:59:00Z", "apply");

    var snapshot = recorder().recordInterrupted("shop/production", entry, running(), desired);

    assertThat(snapshot.result()).isEqualTo("interrupted");
    assertThat(snapshot.origin()).contains("interrupted apply");
    assertThat(snapshot.failure().orElseThrow())
        .startsWith("the apply by alice (pid 4242) started "
            + "2026-11-30T11:59:00Z ended before it finished");
    assertThat(snapshot.containers()).hasSize(1);
    try (var files = Files.list(dir.resolve("history/shop.production"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("000001.json");
    }
  }
}
