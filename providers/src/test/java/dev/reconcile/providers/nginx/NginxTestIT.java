package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.providers.host.LocalHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real nginx judges configurations through the commands the tool builds. */
class NginxTestIT {
  private final NginxCommands nginx = NginxCommands.standard();
  private final LocalHost runner = new LocalHost("local");

  private static Path config(Path prefix, String server) throws IOException {
    Files.createDirectories(prefix.resolve("logs"));
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
          %s
        }
        """.formatted(server));
    return conf;
  }

  @Test
  void test_validConfig_passes(@TempDir Path prefix) throws IOException {
    var conf = config(prefix, """
        server {
          listen 127.0.0.1:18081;
          server_name shop.example.com;
          location /api { proxy_pass http://127.0.0.1:20001; }
        }""");

    var result = runner.run(nginx.test(prefix, conf), Duration.ofSeconds(20));

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void test_unknownDirective_isRejectedWithTheReason(@TempDir Path prefix) throws IOException {
    var conf = config(prefix, "server { listen 127.0.0.1:18082; bogus_directive on; }");

    var result = runner.run(nginx.test(prefix, conf), Duration.ofSeconds(20));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("unknown directive \"bogus_directive\"");
  }
}
