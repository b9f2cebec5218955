package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.providers.exec.LocalCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden site, as the tool generates it, is accepted by the real nginx -t. */
class SitesNginxIT {

  static Stream<Path> sites() throws Exception {
    try (var list = Files.list(SiteCases.GOLDEN)) {
      return list.filter(p -> p.toString().endsWith(".conf")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sites")
  void nginxTest_goldenSite_passes(Path site, @TempDir Path prefix) throws Exception {
    Files.createDirectories(prefix.resolve("logs"));
    // The system-mode site has no listen line; nginx would default to port 80, which a test
    // must not need. Give the test server a loopback default instead.
    var conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, """
        pid logs/nginx.pid;
        error_log logs/error.log;
        events {}
        http {
          access_log off;
          client_body_temp_path tmp_body;
          proxy_temp_path tmp_proxy;
          fastcgi_temp_path tmp_fastcgi;
          uwsgi_temp_path tmp_uwsgi;
          scgi_temp_path tmp_scgi;
          server { listen 127.0.0.1:18090 default_server; return 404; }
          include %s;
        }
        """.formatted(site.toAbsolutePath()));

    var result = new LocalCommandRunner().run(NginxCommands.standard().test(prefix, conf),
        Duration.ofSeconds(20));

    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
