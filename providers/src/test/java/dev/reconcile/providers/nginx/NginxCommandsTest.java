package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxCommandsTest {
  private final NginxCommands nginx = NginxCommands.standard();
  private final Path prefix = Path.of("/srv/.reconcile/nginx");
  private final Path config = Path.of("/srv/.reconcile/nginx/conf/nginx.conf");

  @Test
  void test_namesPrefixAndConfig() {
    assertThat(nginx.test(prefix, config).argv()).containsExactly(
        "nginx", "-t", "-q", "-p", "/srv/.reconcile/nginx", "-c", "/srv/.reconcile/nginx/conf/nginx.conf");
  }

  @Test
  void reload_signalsOnlyThisPrefix() {
    assertThat(nginx.reload(prefix, config).toString()).isEqualTo(
        "nginx -p /srv/.reconcile/nginx -c /srv/.reconcile/nginx/conf/nginx.conf -s reload");
  }
}
