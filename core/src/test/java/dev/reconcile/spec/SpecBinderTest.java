package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.EnvValue;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.PortRange;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecBinderTest {
  private static final SpecValidator VALIDATOR = SpecValidator.standard();

  private static PlatformSpec valid(String yaml) {
    var result = VALIDATOR.validate(yaml.getBytes(StandardCharsets.UTF_8), "t.yml");
    assertThat(result.diagnostics().hasErrors())
        .as(result.diagnostics().toString())
        .isFalse();
    return result.spec().orElseThrow();
  }

  @Test
  void bind_minimalSpec_appliesDefaults() {
    var spec = valid("""
        version: 1
        projects:
          blog:
            domains: { production: blog.example.com }
            containers:
              web: { image: blog/web:1.0, port: 80, health: { path: /health } }
              db: { image: postgres:16 }
        """);

    var platform = spec.platform();
    assertThat(platform.stateDir()).isEqualTo(".reconcile");
    assertThat(platform.ports()).isEqualTo(PortRange.DEFAULT);
    assertThat(platform.history()).isEqualTo(10);
    assertThat(platform.nginx()).isEqualTo(NginxSettings.Managed.DEFAULT);
    assertThat(platform.hosts()).containsOnlyKeys("local");
    var blog = spec.projects().get("blog");
    assertThat(blog.host()).isEqualTo("local");
    assertThat(blog.containers().get("web").updateStrategy()).isEqualTo(UpdateStrategy.BLUE_GREEN);
    assertThat(blog.containers().get("web").servesRoot()).isTrue();
    assertThat(blog.containers().get("db").updateStrategy()).isEqualTo(UpdateStrategy.RECREATE);
    assertThat(blog.containers().get("web").health())
        .contains(new HealthCheck(
            Optional.of("/health"), HealthCheck.DEFAULT_INTERVAL, HealthCheck.DEFAULT_TIMEOUT, 30));
  }

  @Test
  void bind_environmentOverride_mergesOverProjectContainers() {
    var result =
        VALIDATOR.validate(Path.of("src/test/resources/specs/with_overrides.yml"), "w.yml");
    var shop = result.spec().orElseThrow().projects().get("shop");

    var staging = shop.containersFor("staging").get("api");
    var production = shop.containersFor("production").get("api");

    assertThat(staging.image().toString()).isEqualTo("shop/api:main");
    assertThat(staging.env())
        .containsExactly(
            Map.entry("LOG_LEVEL", new EnvValue("debug")),
            Map.entry("DATABASE_URL", new EnvValue("${DATABASE_URL}")));
    assertThat(staging.apiLocations()).containsExactly("/api");
    assertThat(production.image().toString()).isEqualTo("shop/api:1.0");
    assertThat(shop.domains().get("production"))
        .containsExactly("shop.example.com", "www.shop.example.com");
    assertThat(shop.containers().get("worker").command())
        .containsExactly("worker", "--queue", "default");
  }

  @Test
  void bind_stopGrace_isTheContainersOwn_andAnEnvironmentMayChangeIt() {
    var spec = valid("""
        version: 1
        projects:
          shop:
            domains: { production: shop.example.com, staging: staging.shop.example.com }
            containers:
              web: { image: shop/web:1, port: 80 }
              worker: { image: shop/web:1, stop_grace: 2m }
            environments:
              staging: { containers: { worker: { stop_grace: 0s } } }
        """);
    var shop = spec.projects().get("shop");

    assertThat(shop.containersFor("production").get("web").stopGrace()).isEmpty();
    assertThat(shop.containersFor("production").get("worker").stopGrace())
        .hasValue(Duration.ofMinutes(2));
    assertThat(shop.containersFor("staging").get("worker").stopGrace()).hasValue(Duration.ZERO);
  }

  @Test
  void bind_sshHost_isParsed() {
    var result =
        VALIDATOR.validate(Path.of("src/test/resources/specs/with_overrides.yml"), "w.yml");

    assertThat(result.spec().orElseThrow().platform().hosts().get("web-2"))
        .isEqualTo(new HostSpec.Ssh(
            "web-2",
            "deploy",
            "web-2.example.com",
            2222,
            Optional.of("~/.ssh/id_ed25519"),
            Optional.empty()));
  }

  @Test
  void bind_systemNginxAndDurations_areParsed() {
    var spec = valid("""
        version: 1
        platform:
          ports: 30000-30100
          nginx: { mode: system, conf_dir: /etc/nginx/sites-enabled }
        projects:
          blog:
            domains: { production: blog.example.com }
            containers:
              web: { image: blog/web:1.0, port: 80, health: { interval: 500ms, timeout: 1m } }
        """);

    assertThat(spec.platform().ports()).isEqualTo(new PortRange(30000, 30100));
    assertThat(spec.platform().nginx())
        .isEqualTo(new NginxSettings.System(
            "/etc/nginx/sites-enabled",
            java.util.List.of("nginx", "-s", "reload"),
            java.util.List.of("nginx", "-t"),
            java.util.Optional.empty()));
    var health = spec.projects().get("blog").containers().get("web").health().orElseThrow();
    assertThat(health.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(health.timeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(health.path()).isEmpty();
  }

  @Test
  void bind_systemNginxWithItsOwnCommandsAndListen_keepsThem() {
    var spec = valid("""
        version: 1
        platform:
          nginx:
            mode: system
            listen: "127.0.0.1:8081"
            test_command: [docker, exec, proxy, nginx, -t]
            reload_command: [docker, exec, proxy, nginx, -s, reload]
        projects:
          blog:
            domains: { production: blog.example.com }
            containers:
              web: { image: blog/web:1.0, port: 80 }
        """);

    assertThat(spec.platform().nginx())
        .isEqualTo(new NginxSettings.System(
            "/etc/nginx/conf.d",
            java.util.List.of("docker", "exec", "proxy", "nginx", "-s", "reload"),
            java.util.List.of("docker", "exec", "proxy", "nginx", "-t"),
            java.util.Optional.of("127.0.0.1:8081")));
  }

  @Test
  void validate_unpinnedImage_isAWarningOnly() {
    var result = VALIDATOR.validate("""
        version: 1
        projects:
          blog:
            domains: { production: blog.example.com }
            containers: { web: { image: blog/web, port: 80 } }
        """.getBytes(StandardCharsets.UTF_8), "t.yml");

    assertThat(result.isValid()).isTrue();
    assertThat(result.diagnostics().toString())
        .startsWith(
            "t.yml:5:33: warning: image 'blog/web' names no tag or digest, so it means ':latest'");
  }

  @Test
  void bind_registry_keepsThePasswordAsATemplate() {
    var spec = valid("""
        version: 1
        platform:
          registry: { server: "registry.example.com:5000", username: deploy, password: "${REGISTRY_PASSWORD}" }
        projects:
          blog:
            domains: { production: blog.example.com }
            containers: { web: { image: "registry.example.com:5000/blog/web:1.0", port: 80 } }
        """);

    assertThat(spec.platform().registry())
        .contains(new dev.reconcile.model.Registry(
            "registry.example.com:5000",
            java.util.Optional.of("deploy"),
            java.util.Optional.of(new EnvValue("${REGISTRY_PASSWORD}"))));
  }

  @Test
  void validate_registryPasswordWrittenOut_warnsWithoutShowingIt() {
    var result = VALIDATOR.validate("""
        version: 1
        platform:
          registry: { server: ghcr.io, username: deploy, password: hunter2 }
        projects:
          blog:
            domains: { production: blog.example.com }
            containers: { web: { image: ghcr.io/blog/web:1.0, port: 80 } }
        """.getBytes(StandardCharsets.UTF_8), "t.yml");

    assertThat(result.isValid()).isTrue();
    assertThat(result.diagnostics().toString())
        .contains("t.yml:3:60: warning: the registry password is written " + "in the spec")
        .doesNotContain("hunter2");
  }

  @Test
  void validate_registryUserWithoutPassword_isAnError() {
    var result = VALIDATOR.validate("""
        version: 1
        platform:
          registry: { server: ghcr.io, username: deploy }
        projects:
          blog:
            domains: { production: blog.example.com }
            containers: { web: { image: ghcr.io/blog/web:1.0, port: 80 } }
        """.getBytes(StandardCharsets.UTF_8), "t.yml");

    assertThat(result.isValid()).isFalse();
    assertThat(result.diagnostics().toString()).contains("t.yml:3:", "password");
  }

  @Test
  void envValue_secretNamesAndInterpolation_areSecret() {
    assertThat(new EnvValue("plain").isSecretUnder("DB_PASSWORD")).isTrue();
    assertThat(new EnvValue("plain").isSecretUnder("api_key")).isTrue();
    assertThat(new EnvValue("${X}").isSecretUnder("LOG_LEVEL")).isTrue();
    assertThat(new EnvValue("info").isSecretUnder("LOG_LEVEL")).isFalse();
    assertThat(new EnvValue("literal", true).isSecretUnder("LITERAL")).isTrue();
  }

  @Test
  void anEnvValueMarkedSecret_isBoundAsSecret_andItsValueIsChecked() {
    var yaml = """
        version: 1
        projects:
          shop:
            domains: { production: shop.example.com }
            containers:
              web:
                image: shop/web:1.0
                port: 8080
                env: { LITERAL: { value: abc, secret: true }, PLAIN: { value: 3 } }
        """;
    var validated = dev.reconcile.validate.SpecValidator.standard()
        .validate(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.yml");
    assertThat(validated.diagnostics().hasErrors())
        .as(validated.diagnostics().toString())
        .isFalse();
    var env = validated
        .spec()
        .orElseThrow()
        .projects()
        .get("shop")
        .containers()
        .get("web")
        .env();
    assertThat(env.get("LITERAL")).isEqualTo(new EnvValue("abc", true));
    assertThat(env.get("PLAIN").isSecretUnder("PLAIN")).isFalse();
    assertThat(env.get("PLAIN").template()).isEqualTo("3");

    var broken = dev.reconcile.validate.SpecValidator.standard()
        .validate(
            yaml.replace("value: abc", "value: \"a${\"")
                .replace("PLAIN: { value: 3 }", "OTHER: { secret: true }")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "t.yml");
    assertThat(broken.diagnostics().toString())
        .contains("t.yml:9:", "missing required key 'value'", "'value'");
  }

  @Test
  void aDomainLongerThanADefaultSystemNginxTakes_isWarnedAbout_inSystemModeOnly() {
    var name = "a-rather-long-name-for-a-shop." + "x".repeat(20) + ".example.com";
    var yaml = """
        version: 1
        platform:
          nginx: { mode: system }
        projects:
          shop:
            domains: { production: %s }
            containers:
              web: { image: shop/web:1.0, port: 8080 }
        """.formatted(name);
    var system = dev.reconcile.validate.SpecValidator.standard()
        .validate(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.yml");
    assertThat(system.diagnostics().hasErrors()).isFalse();
    assertThat(system.diagnostics().toString())
        .contains(
            "t.yml:6:",
            "warning: domain '" + name + "' has " + name.length() + " characters",
            "server_names_hash_bucket_size 128;");
    var managed = dev.reconcile.validate.SpecValidator.standard()
        .validate(
            yaml.replace("nginx: { mode: system }", "history: 5")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "t.yml");
    assertThat(managed.diagnostics().toString()).doesNotContain("server_names_hash_bucket_size");
  }
}
