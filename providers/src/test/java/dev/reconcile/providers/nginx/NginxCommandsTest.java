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
    assertThat(nginx.test(prefix, config).argv())
        .containsExactly(
            "nginx",
            "-t",
            "-q",
            "-p",
            "/srv/.reconcile/nginx",
            "-c",
            "/srv/.reconcile/nginx/conf/nginx.conf");
  }

  @Test
  void signal_goesToTheMasterFoundNotToThePidFile() {
    assertThat(nginx.signal("HUP", 4242).argv()).containsExactly("kill", "-s", "HUP", "4242");
  }
}
