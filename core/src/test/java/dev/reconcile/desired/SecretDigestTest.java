package dev.reconcile.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.history.ContainerSpecJson;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.plan.json.PlanJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Secret values never reach a plan, a label or a snapshot in a form that can be guessed offline. */
class SecretDigestTest {
  private static final String SPEC = """
      version: 1
      projects:
        shop:
          domains: { production: shop.example.com }
          containers:
            api:
              image: shop/api:1.0
              port: 3000
              env: { DATABASE_PASSWORD: "${DB_PASSWORD}", SECRET_KEY: hunter2-written-out }
      """;

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

  @Test
  void planJson_ofASecretFromTheEnvironment_cannotBeMatchedByGuessingWithoutTheKey() {
    var keyed = Variables.NONE.withSecrets(SecretDigest.withKey(KEY));
    var withSecret = (Variables) new Variables() {
      @Override
      public java.util.function.Function<String, Optional<String>> lookupFor(
          dev.reconcile.model.ProjectSpec p, String e) {
        return n -> n.equals("DB_PASSWORD") ? Optional.of("dragon") : Optional.empty();
      }
    };
    var plan = PlanJson.write(Differ.diff(
        new Expander(withSecret.withSecrets(keyed.secrets()))
            .expand(ExpanderTest.spec(SPEC), Selection.ALL),
        ObservedState.EMPTY,
        DiffOptions.DEFAULT));

    // An attacker with the repository and the plan, but not the state directory's key, tries a
    // dictionary: every guess, digested as the tool would without the key, misses.
    for (var guess : List.of("password", "dragon", "letmein", "secret", "admin", "hunter2")) {
      var unkeyed = new Expander((p, e) -> n -> Optional.of(guess))
          .expand(ExpanderTest.spec(SPEC), Selection.ALL);
      var hash = unkeyed.all(DesiredContainer.class).findFirst().orElseThrow().specHash();
      assertThat(plan).doesNotContain(hash);
    }
    assertThat(plan).doesNotContain("dragon").doesNotContain("hunter2");
  }

  @Test
  void digest_dependsOnTheKey_andIsStableUnderOne() {
    var one = SecretDigest.withKey(KEY);
    var other = SecretDigest.withKey("fedcba9876543210fedcba9876543210".getBytes());

    assertThat(one.of("container:a/b/c", "X", "v"))
        .isEqualTo(one.of("container:a/b/c", "X", "v"))
        .isNotEqualTo(other.of("container:a/b/c", "X", "v"))
        .startsWith("hmac-sha256:");
    assertThat(one.toString()).doesNotContain("0123");
  }

  @Test
  void snapshotSpec_ofASecretWrittenOut_keepsOnlyItsDigest() {
    var container = ExpanderTest.spec(SPEC)
        .projects()
        .get("shop")
        .containersFor("production")
        .get("api");
    var secrets = SecretDigest.withKey(KEY);

    var text = ContainerSpecJson.write(container, secrets, "container:shop/production/api");

    assertThat(text).doesNotContain("hunter2").contains("\"DATABASE_PASSWORD\":\"${DB_PASSWORD}\"");
    var read = ContainerSpecJson.read("api", text);
    assertThat(read.hiddenEnv())
        .isEqualTo(Map.of(
            "SECRET_KEY",
            secrets.of("container:shop/production/api", "SECRET_KEY", "hunter2-written-out")));
    assertThat(read.spec().env()).doesNotContainKey("SECRET_KEY");
  }
}
