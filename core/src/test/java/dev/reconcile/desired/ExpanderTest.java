package dev.reconcile.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.PlatformSpec;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpanderTest {
  private static final String SPEC = """
      version: 1
      projects:
        shop:
          domains: { production: shop.example.com, staging: staging.shop.example.com }
          containers:
            api:
              image: shop/api:1.0
              port: 3000
              api_locations: [/api]
              env: { LOG_LEVEL: info, API_TOKEN: plain-but-secret-name, DB: "${DB_URL}" }
              volumes: { uploads: /srv/uploads }
            web: { image: "shop/web:1.0", port: 80 }
            worker: { image: "shop/worker:1.0" }
          environments:
            staging:
              containers:
                api: { env: { LOG_LEVEL: debug } }
      """;

  static PlatformSpec spec(String yaml) {
    var validated =
        SpecValidator.standard().validate(yaml.getBytes(StandardCharsets.UTF_8), "t.yml");
    assertThat(validated.diagnostics().hasErrors())
        .as(validated.diagnostics().toString())
        .isFalse();
    return validated.spec().orElseThrow();
  }

  static Expander expander(Map<String, String> env) {
    return new Expander((p, e) -> name -> Optional.ofNullable(env.get(name)));
  }

  /** One routed container, shop's web, with more of its fields, e.g. {@code , replicas: 2}. */
  static DesiredContainer shopWeb(String fields) {
    return (DesiredContainer) expander(Map.of())
        .expand(spec("""
                version: 1
                projects:
                  shop:
                    domains: { production: shop.example.com }
                    containers:
                      web: { image: "shop/web:1.0", port: 80%s }
                """.formatted(fields)), Selection.ALL)
        .get(ResourceId.container("shop", "production", "web"))
        .orElseThrow();
  }

  @Test
  void expand_project_givesContainersVolumesAndOneSitePerEnvironment() {
    var desired = expander(Map.of("DB_URL", "x")).expand(spec(SPEC), Selection.ALL);

    assertThat(desired.resources().keySet())
        .extracting(ResourceId::toString)
        .containsExactly(
            "network:shop/production",
            "volume:shop/production/uploads",
            "container:shop/production/api",
            "container:shop/production/web",
            "container:shop/production/worker",
            "site:shop/production",
            "network:shop/staging",
            "volume:shop/staging/uploads",
            "container:shop/staging/api",
            "container:shop/staging/web",
            "container:shop/staging/worker",
            "site:shop/staging");
    var site = (DesiredSite) desired.get(ResourceId.site("shop", "production")).orElseThrow();
    assertThat(site.fingerprint().routes())
        .containsExactly(new Route("/", "web"), new Route("/api", "api"));
    assertThat(site.dependsOn())
        .extracting(ResourceId::toString)
        .containsExactly("container:shop/production/api", "container:shop/production/web");
  }

  @Test
  void
      expand_container_isNamedOnItsEnvironmentsNetwork_andSharedOnlyWithProjectsThatHaveTheEnvironment() {
    var desired = expander(Map.of()).expand(spec("""
        version: 1
        projects:
          platform:
            domains: { production: db.test, staging: db-staging.test }
            containers: { db: { image: "postgres:16", shared_with: [crm, blog] } }
          crm:
            domains: { production: crm.test, staging: crm-staging.test }
            containers: { web: { image: "crm:1", port: 80 } }
          blog:
            domains: { production: blog.test }
            containers: { web: { image: "blog:1", port: 80 } }
        """), Selection.ALL);

    var production = (DesiredContainer)
        desired.get(ResourceId.container("platform", "production", "db")).orElseThrow();
    var staging = (DesiredContainer)
        desired.get(ResourceId.container("platform", "staging", "db")).orElseThrow();
    assertThat(production.networking()).hasValueSatisfying(n -> {
      assertThat(n.network()).isEqualTo("platform-production");
      assertThat(n.aliases()).containsExactly("db", "platform-db-production");
      assertThat(n.sharedNetworks()).containsExactly("blog-production", "crm-production");
    });
    assertThat(staging.networking().orElseThrow().sharedNetworks()).containsExactly("crm-staging");
    assertThat(production.fingerprint().sharedNetworks())
        .containsExactly("blog-production", "crm-production");
    // Alone in its environment, it calls no one there: no network of names of its own. The
    // environments it is shared into have one, for it to join.
    assertThat(production.networking().orElseThrow().named()).isFalse();
    assertThat(production.dependsOn()).doesNotContain(ResourceId.network("platform", "production"));
    assertThat(desired.get(ResourceId.network("platform", "production"))).isEmpty();
    assertThat(desired.get(ResourceId.network("crm", "production"))).isPresent();
    assertThat(desired.get(ResourceId.network("crm", "staging"))).isPresent();
    assertThat(desired.get(ResourceId.network("blog", "production"))).isPresent();
    var crm = (DesiredContainer)
        desired.get(ResourceId.container("crm", "production", "web")).orElseThrow();
    assertThat(crm.networking().orElseThrow().named()).isTrue();
    assertThat(crm.fingerprint().network()).hasValue("crm-production");
  }

  @Test
  void expand_environmentOfOneContainer_hasNoNetworkOfNames_twoHaveOne() {
    var desired = expander(Map.of()).expand(spec("""
        version: 1
        projects:
          notes:
            domains: { production: notes.test }
            containers: { app: { image: "notes:1", port: 80 } }
          shop:
            domains: { production: shop.test }
            containers:
              web: { image: "shop:1", port: 80 }
              db: { image: "postgres:16" }
        """), Selection.ALL);

    var notes = (DesiredContainer)
        desired.get(ResourceId.container("notes", "production", "app")).orElseThrow();
    assertThat(notes.networking().orElseThrow().named()).isFalse();
    assertThat(notes.fingerprint().network()).isEmpty();
    assertThat(desired.get(ResourceId.network("notes", "production"))).isEmpty();
    var web = (DesiredContainer)
        desired.get(ResourceId.container("shop", "production", "web")).orElseThrow();
    assertThat(web.networking().orElseThrow().named()).isTrue();
    assertThat(web.dependsOn()).contains(ResourceId.network("shop", "production"));
    assertThat(desired.get(ResourceId.network("shop", "production"))).isPresent();
  }

  @Test
  void expand_whitespaceOnlyEdit_keepsEveryHash() {
    var reformatted = SPEC.replace(
        "{ LOG_LEVEL: info, API_TOKEN: plain-but-secret-name, DB: \"${DB_URL}\" }",
        "\n          LOG_LEVEL:    info\n          API_TOKEN: plain-but-secret-name\n          DB: \"${DB_URL}\"");
    var before = expander(Map.of()).expand(spec(SPEC), Selection.ALL);
    var after = expander(Map.of()).expand(spec(reformatted), Selection.ALL);

    assertThat(after.digest()).isEqualTo(before.digest());
  }

  @Test
  void expand_envValueChange_changesOnlyThatContainersHash() {
    var before = expander(Map.of("DB_URL", "one")).expand(spec(SPEC), Selection.ALL);
    var after = expander(Map.of("DB_URL", "two")).expand(spec(SPEC), Selection.ALL);
    var api = ResourceId.container("shop", "production", "api");
    var web = ResourceId.container("shop", "production", "web");

    assertThat(after.get(api).orElseThrow().specHash())
        .isNotEqualTo(before.get(api).orElseThrow().specHash());
    assertThat(after.get(web).orElseThrow().specHash())
        .isEqualTo(before.get(web).orElseThrow().specHash());
  }

  @Test
  void expand_secretValues_areDigestsNeverText() {
    var desired =
        expander(Map.of("DB_URL", "postgres://u:hunter2@db/x")).expand(spec(SPEC), Selection.ALL);
    var api = (DesiredContainer)
        desired.get(ResourceId.container("shop", "production", "api")).orElseThrow();

    assertThat(api.fingerprint().secretEnv()).containsExactlyInAnyOrder("API_TOKEN", "DB");
    assertThat(api.fingerprint().env().get("DB")).startsWith("hmac-sha256:");
    assertThat(api.fingerprint().toJson().toString())
        .doesNotContain("hunter2", "plain-but-secret-name");
    assertThat(api.fingerprint().env().get("LOG_LEVEL")).isEqualTo("info");
  }

  @Test
  void expand_missingVariable_isMarkedUnresolved() {
    var desired = expander(Map.of()).expand(spec(SPEC), Selection.ALL);
    var api = (DesiredContainer)
        desired.get(ResourceId.container("shop", "production", "api")).orElseThrow();

    assertThat(api.unresolvedEnv()).containsExactly("DB");
  }

  @Test
  void expand_overrides_mergeIntoTheirEnvironmentOnly() {
    var desired = expander(Map.of()).expand(spec(SPEC), Selection.ALL);

    assertThat(envOf(desired, "staging").get("LOG_LEVEL")).isEqualTo("debug");
    assertThat(envOf(desired, "production").get("LOG_LEVEL")).isEqualTo("info");
  }

  @Test
  void expand_selection_keepsOnlySelectedEnvironments() {
    var desired =
        expander(Map.of()).expand(spec(SPEC), new Selection(Set.of("shop"), Set.of("staging")));

    assertThat(desired.resources().keySet()).allMatch(id -> id.environment().equals("staging"));
  }

  private static Map<String, String> envOf(DesiredState desired, String environment) {
    return ((DesiredContainer)
            desired.get(ResourceId.container("shop", environment, "api")).orElseThrow())
        .fingerprint()
        .env();
  }
}
