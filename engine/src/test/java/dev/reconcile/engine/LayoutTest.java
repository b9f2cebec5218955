package dev.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.host.StateHome;
import dev.reconcile.model.Platform;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the fleet's state lives, chosen from platform.hosts alone; the checkout's state as before. */
class LayoutTest {
  @TempDir
  Path dir;

  private static Platform platform(String platformYaml) {
    return SpecValidator.standard()
        .validate(("""
        version: 1
        platform:
        %s
        projects:
          shop:
            host: web-2
            domains: { production: shop.test }
            containers: { web: { image: "shop/web:1", port: 8080 } }
        """.formatted(platformYaml.indent(2))).getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow()
        .platform();
  }

  private static final String HOSTS = """
      hosts:
        local: { docker: "unix:///var/run/docker.sock" }
        web-1: { ssh: "deploy@203.0.113.7", state_dir: /srv/one }
        web-2: { ssh: "deploy@203.0.113.8", state_dir: /srv/two }
      """;

  @Test
  void theFirstSshHostDeclared_holdsTheState_whicheverHostsTheProjectsUse() {
    var home = Layout.homeOf(platform(HOSTS), null).orElseThrow();
    assertThat(home.hostName()).isEqualTo("web-1");
    assertThat(home.dir()).isEqualTo(Path.of("/srv/one"));
    assertThat(home.onThisMachine()).isFalse();
  }

  @Test
  void stateHost_namesAnotherServer_orKeepsTheStateInTheCheckout() {
    assertThat(Layout.homeOf(platform("state_host: web-2\n" + HOSTS), null)
            .orElseThrow()
            .dir())
        .isEqualTo(Path.of("/srv/two"));
    assertThat(Layout.homeOf(platform("state_host: local\n" + HOSTS), null)).isEmpty();
  }

  @Test
  void aFleetOfLocalEnginesOnly_keepsItsStateBesideProjectsYml() throws Exception {
    var platform = SpecValidator.standard()
        .validate("""
        version: 1
        projects:
          shop:
            domains: { production: shop.test }
            containers: { web: { image: "shop/web:1", port: 8080 } }
        """.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow()
        .platform();
    var spec = dir.resolve("projects.yml");
    var layout = Layout.of(spec, platform, null);

    assertThat(layout.home()).isEqualTo(new StateHome.Local(dir.resolve(".reconcile")));
    assertThat(layout.unsettled()).isFalse();
    assertThat(Files.readString(dir.resolve(".reconcile/owner")).strip()).isEqualTo(layout.owner());
    assertThat(layout.secrets()).as("the key is made once and kept").isSameAs(layout.secrets());
  }
}
