package dev.reconcile.providers.nginx;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.providers.exec.CommandLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The nginx the tool runs itself: a prefix under the state directory, a main config that
 * includes the sites, and a master process that outlives the command.
 */
final class ManagedNginx {
  private final Path prefix;
  private final NginxSettings.Managed settings;

  ManagedNginx(Path stateDir, NginxSettings.Managed settings) {
    this.prefix = stateDir.resolve("nginx").toAbsolutePath();
    this.settings = settings;
  }

  Path prefix() {
    return prefix;
  }

  Path config() {
    return prefix.resolve("nginx.conf");
  }

  /** Writes the main config (and the folders nginx needs); the sites are included by glob. */
  void prepare(Path sitesDir) throws IOException {
    for (var dir : List.of("logs", "tmp", "check")) {
      Files.createDirectories(prefix.resolve(dir));
    }
    Files.createDirectories(sitesDir);
    Files.writeString(config(), mainConfig(List.of(sitesDir.toAbsolutePath() + "/*.conf")),
        StandardCharsets.UTF_8);
  }

  /**
   * A main config including the given files or globs: the served config includes the sites
   * folder; a check config includes exactly the files under test.
   */
  String mainConfig(List<String> includes) {
    var out = new StringBuilder("""
        # Managed by reconcile: the nginx of this state directory. Regenerated on every apply.
        pid logs/nginx.pid;
        error_log logs/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            server_names_hash_bucket_size 128;
            client_body_temp_path tmp/body;
            proxy_temp_path tmp/proxy;
            fastcgi_temp_path tmp/fastcgi;
            uwsgi_temp_path tmp/uwsgi;
            scgi_temp_path tmp/scgi;
            # Requests for domains no site declares.
            server {
                listen %s:%d default_server;
                return 404;
            }
        """.formatted(settings.listenHost(), settings.listenPort()));
    includes.forEach(i -> out.append("    include ").append(i).append(";\n"));
    return out.append("}\n").toString();
  }

  /** The pid of the running master, if there is one. */
  Optional<Long> runningPid() {
    try {
      var pid = Long.parseLong(Files.readString(prefix.resolve("logs/nginx.pid")).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts the master detached, its output going to a log file: a master that daemonizes keeps
   * the pipes of whoever started it, and reading them would never end.
   */
  void start(CommandLine command) throws IOException, InterruptedException {
    var log = prefix.resolve("logs/start.log");
    var process = new ProcessBuilder(command.argv()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("nginx did not start: " + Files.readString(log).strip());
    }
    for (int i = 0; i < 50 && runningPid().isEmpty(); i++) {
      Thread.sleep(20);
    }
    if (runningPid().isEmpty()) {
      throw new IOException("nginx started but wrote no pid file; see " + prefix.resolve("logs/error.log"));
    }
  }
}
