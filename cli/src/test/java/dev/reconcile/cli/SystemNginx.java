package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An nginx standing in for the system's, started by a test with a prefix of its own: it
 * listens on loopback, includes {@code conf.d/*.conf}, and never touches /etc/nginx.
 */
final class SystemNginx {
  final Path prefix;

  private SystemNginx(Path prefix) {
    this.prefix = prefix;
  }

  /** Started, with a default server answering 404 on {@code 127.0.0.1:listen}. */
  static SystemNginx start(Path prefix, int listen) throws Exception {
    Files.createDirectories(prefix.resolve("logs"));
    Files.createDirectories(prefix.resolve("conf.d"));
    Files.writeString(prefix.resolve("nginx.conf"), """
        pid logs/nginx.pid;
        error_log logs/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path logs/body;
            proxy_temp_path logs/proxy;
            fastcgi_temp_path logs/fastcgi;
            uwsgi_temp_path logs/uwsgi;
            scgi_temp_path logs/scgi;
            server_names_hash_bucket_size 128;
            server { listen 127.0.0.1:%d default_server; return 404; }
            include conf.d/*.conf;
        }
        """.formatted(listen));
    var nginx = new SystemNginx(prefix);
    assertThat(nginx.run()).as("the system nginx starts").isEmpty();
    return nginx;
  }

  Path conf() {
    return prefix.resolve("nginx.conf");
  }

  Path confDir() {
    return prefix.resolve("conf.d");
  }

  /** Runs nginx with this prefix and configuration, and these arguments; its output. */
  String run(String... args) throws Exception {
    var command =
        new ArrayList<>(List.of("nginx", "-p", prefix.toString(), "-c", conf().toString()));
    command.addAll(List.of(args));
    return TestHosts.run(command.toArray(String[]::new)).strip();
  }

  /** {@code reload_command} of projects.yml for it, as a YAML flow list. */
  String reloadCommand() {
    return "[nginx, -p, \"" + prefix + "\", -c, \"" + conf() + "\", -s, reload]";
  }

  /** {@code test_command} of projects.yml for it, as a YAML flow list. */
  String testCommand() {
    return "[nginx, -t, -p, \"" + prefix + "\", -c, \"" + conf() + "\"]";
  }

  /** Stops it by pid: 'nginx -s quit' reads the configuration first, and a test may break it. */
  void stop() throws Exception {
    var pid = prefix.resolve("logs/nginx.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroy);
    }
  }
}
