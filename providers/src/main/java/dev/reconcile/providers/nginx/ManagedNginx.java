package dev.reconcile.providers.nginx;

import dev.reconcile.host.CommandLine;
import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The nginx the tool runs itself: a prefix under the state directory, a main config that
 * includes the sites, and a master process that outlives the command. Everything goes through
 * the host it runs on.
 */
final class ManagedNginx {
  /** How long a master may take to appear after a start, or to exit after a stop. */
  static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);
  /** How long old workers keep long-lived connections after a reload: the drain's bound. */
  static final String WORKER_SHUTDOWN = "30s";
  /** Linux's process table, where the master is recognised by its title. */
  private static final Path PROC = Path.of("/proc");

  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long ps, kill or readlink may take on the host. */
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);

  private final Host host;
  private final Path prefix;
  private final NginxSettings.Managed settings;
  private final Path challenges;
  private final Path certificates;
  /** Whether the front door holds certificates: then it answers HTTPS too (see mainConfig). */
  private boolean servesTls;
  /** Whether upstreams are routed live (LiveRoutes): the host's nginx has the lua module. */
  private final boolean live;
  /** The routes files nginx reads when it starts or reloads (live only). */
  private List<Path> routesFiles = List.of();

  ManagedNginx(Host host, Path stateDir, NginxSettings.Managed settings) {
    this.host = host;
    this.prefix = stateDir.resolve("nginx").toAbsolutePath();
    this.settings = settings;
    this.challenges = stateDir.resolve("acme/challenges.conf").toAbsolutePath();
    this.certificates = stateDir.resolve("tls").toAbsolutePath();
    this.live = LiveRoutes.available(host);
  }

  boolean live() {
    return live;
  }

  /** The secret the control location asks for: readable by the state directory's owner only. */
  Path tokenFile() {
    return prefix.resolve("control.token");
  }

  Path routesDir() {
    return prefix.resolve("routes");
  }

  /** The token, made when there is none yet. */
  String token() throws IOException {
    var text = host.read(tokenFile()).map(String::strip).filter(t -> t.matches("[0-9a-f]{32,}"));
    if (text.isPresent()) {
      return text.get();
    }
    var bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    var token = HexFormat.of().formatHex(bytes);
    host.writePrivate(tokenFile(), token + "\n");
    return token;
  }

  Path prefix() {
    return prefix;
  }

  Path config() {
    return prefix.resolve("nginx.conf");
  }

  /**
   * Where workers buffer large request bodies (uploads) and answers: under /tmp, not the prefix. A
   * master started as root runs its workers as nobody, who may not pass through the folders above
   * the state directory (/root, a test's 0700 temp folder); nginx makes the leaves itself, owned
   * by the workers' user. One folder per prefix.
   */
  Path temp() {
    return Path.of(
        "/tmp", "reconcile-nginx-" + SpecHash.sha256(prefix.toString()).substring(0, 12));
  }

  /**
   * Writes the main config (and the folders nginx needs) when it differs from what is there:
   * atomically, since another process's nginx -t or reload may be reading it right now.
   */
  void prepare(Path sitesDir) throws IOException {
    for (var dir : List.of("logs", "logs/access", "check")) {
      host.createDirectories(prefix.resolve(dir));
    }
    host.createDirectories(temp());
    host.createDirectories(sitesDir);
    servesTls = host.list(certificates).stream().anyMatch(n -> n.endsWith(".pem"));
    Challenges.ensure(host, challenges);
    if (live) {
      host.createDirectories(routesDir());
      token();
      routesFiles = host.list(routesDir()).stream()
          .filter(n -> n.endsWith(".routes"))
          .sorted()
          .map(routesDir()::resolve)
          .toList();
    }
    var text = mainConfig(List.of(sitesDir.toAbsolutePath() + "/*.conf"));
    if (!text.equals(host.read(config()).orElse(""))) {
      host.write(config(), text);
    }
  }

  /**
   * A main config including the given files or globs: the served config includes the sites
   * folder; a check config includes exactly the files under test.
   */
  String mainConfig(List<String> includes) {
    var out = new StringBuilder("""
        # Managed by reconcile: the nginx of this state directory. Regenerated on every apply.
        %6$spid logs/nginx.pid;
        error_log logs/error.log warn;
        # After a reload, the old workers finish their requests; a WebSocket or other long-lived
        # connection is closed at the latest this long after the switch (docs/commands.md).
        worker_shutdown_timeout %s;
        events { worker_connections 1024; }
        http {
            access_log off;
            # Room for the longest name DNS allows (253): every domain validate accepts, nginx does.
            server_names_hash_bucket_size 512;
            client_body_temp_path %5$s/body;
            proxy_temp_path %5$s/proxy;
            fastcgi_temp_path %5$s/fastcgi;
            uwsgi_temp_path %5$s/uwsgi;
            scgi_temp_path %5$s/scgi;
        %7$s    # Requests for domains no site declares; the CA's challenges for domains no site
            # serves yet (a certificate is obtained before its site is installed).
            server {
                listen %2$s:%3$d default_server;
                include %4$s;
        %8$s        location / {
                    return 404;
                }
            }
        """.formatted(
            WORKER_SHUTDOWN,
            settings.listenHost(),
            settings.listenPort(),
            challenges,
            temp(),
            live ? LiveRoutes.modules() : "",
            live ? LiveRoutes.http(tokenFile(), routesFiles) : "",
            live ? LiveRoutes.control(readers()) : ""));
    if (servesTls) {
      // A name no site declares gets no certificate at all, rather than another site's. The
      // protocol is agreed before the name is known, with the default server's settings: hence
      // here, not only in the sites (nginx 1.22 would otherwise offer TLS 1.0-1.2, not 1.3).
      out.append("""
              ssl_protocols TLSv1.2 TLSv1.3;
              ssl_ciphers %s;
              ssl_prefer_server_ciphers off;
              server {
                  listen %s ssl http2 default_server;
                  ssl_reject_handshake on;
              }
          """.formatted(SiteRenderer.CIPHERS, settings.listenTls()));
    }
    includes.forEach(i -> out.append("    include ").append(i).append(";\n"));
    return out.append("}\n").toString();
  }

  /** Who may use the control location: this machine, by loopback or the address nginx listens on. */
  private String readers() {
    var readers = new ArrayList<>(List.of("127.0.0.1", "::1"));
    var listen = settings.listenHost();
    if (listen.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:]*")
        && !readers.contains(listen)
        && !listen.equals("0.0.0.0")
        && !listen.equals("::")) {
      readers.add(listen);
    }
    return readers.stream().map(a -> a.replace(".", "\\.")).collect(Collectors.joining("|"));
  }

  /**
   * What the running master has loaded, as {@link #loading} recorded it when the tool last
   * started or reloaded it; empty when it was never recorded.
   */
  Optional<String> loaded() {
    try {
      return host.read(prefix.resolve("loaded")).map(String::strip);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the running master loaded exactly what is installed now (recorded at its start or
   * reload, each judged by nginx -t first): a switch of routes alone needs no reload, and the
   * installed configuration needs no second judgement.
   */
  boolean runsInstalled(Path sitesDir) throws IOException {
    if (!live) {
      return false;
    }
    var pid = runningPid();
    return pid.isPresent()
        && loaded().equals(Optional.of("pid " + pid.get() + "\n" + loading(sitesDir)));
  }

  /** Records what a start or reload just had a master load: its pid and {@link #loading}. */
  void recordLoaded(String loading) throws IOException {
    host.write(prefix.resolve("loaded"), loading + "\n");
  }

  /**
   * A fingerprint of everything nginx reads at a start or reload: the main
   * config, each site file's body (its header changes with its routes, which need no reload), the
   * certificates and the challenge answers. Equal to {@link #loaded} when a switch of routes alone
   * is served without a reload.
   */
  String loading(Path sitesDir) throws IOException {
    var out = new StringBuilder();
    out.append("nginx.conf ").append(hash(host.read(config()).orElse(""))).append('\n');
    for (var name :
        host.list(sitesDir).stream().filter(n -> n.endsWith(".conf")).sorted().toList()) {
      var text = host.read(sitesDir.resolve(name));
      text.ifPresent(t -> out.append("site ")
          .append(name)
          .append(' ')
          .append(hash(SiteFile.body(t)))
          .append('\n'));
    }
    for (var name : host.list(certificates).stream().sorted().toList()) {
      var text = host.read(certificates.resolve(name));
      text.ifPresent(
          t -> out.append("tls ").append(name).append(' ').append(hash(t)).append('\n'));
    }
    out.append("challenges ").append(hash(host.read(challenges).orElse(""))).append('\n');
    // Kept readable, not hashed again: a reload that was not expected is told by a diff.
    return out.toString().strip();
  }

  private static String hash(String text) {
    return SpecHash.sha256(text).substring(0, 16);
  }

  /**
   * The pid of the running master of this prefix. The pid file alone is not trusted: it may be
   * empty (a full disk), stale (a reboot reused the pid) or gone; the master is recognised by its
   * process title, which names this prefix's config.
   */
  Optional<Long> runningPid() {
    var fromFile = pidFile().filter(this::isOurMaster);
    return fromFile.isPresent() ? fromFile : findMaster();
  }

  private Optional<Long> pidFile() {
    try {
      return host.read(prefix.resolve("logs/nginx.pid")).map(t -> Long.parseLong(t.strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isOurMaster(long pid) {
    return title(Long.toString(pid)).map(this::titleIsOurs).orElse(false);
  }

  private boolean titleIsOurs(String title) {
    return title.startsWith("nginx: master process") && title.contains(" -c " + config());
  }

  private Optional<Long> findMaster() {
    try {
      return host.list(PROC).stream()
          .filter(p -> !p.isEmpty() && p.chars().allMatch(Character::isDigit))
          .filter(p -> title(p).map(this::titleIsOurs).orElse(false))
          .map(Long::parseLong)
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A process's command line as one string (nginx rewrites it to its title). */
  private Optional<String> title(String pid) {
    try {
      return host.read(PROC.resolve(pid).resolve("cmdline"))
          .map(t -> t.replace('\0', ' ').strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Workers of this prefix whose master is gone (killed with -9: its workers live on, holding the
   * port and serving the configuration they had). Told apart from other nginx's workers by the
   * files they hold open: this prefix's error log.
   */
  List<Long> orphans() {
    try {
      var ps = host.run(CommandLine.of("ps", "-e", "-o", "pid=,ppid=,args="), COMMAND_LIMIT);
      if (!ps.succeeded()) {
        return List.of();
      }
      var masters = new HashSet<String>();
      var workers = new LinkedHashMap<String, String>();
      for (var line : ps.output().lines().toList()) {
        var fields = line.strip().split("\\s+", 3);
        if (fields.length < 3) {
          continue;
        }
        if (fields[2].startsWith("nginx: master process")) {
          masters.add(fields[0]);
        } else if (fields[2].startsWith("nginx: worker process")
            || fields[2].startsWith("nginx: cache ")) {
          workers.put(fields[0], fields[1]);
        }
      }
      var candidates = workers.entrySet().stream()
          .filter(w -> !masters.contains(w.getValue()))
          .map(Map.Entry::getKey)
          .toList();
      if (candidates.isEmpty()) {
        return List.of();
      }
      var argv = new ArrayList<>(List.of(
          "sh",
          "-c",
          "for p; do for f in /proc/$p/fd/*; do echo \"$p $(readlink \"$f\")\"; done; done",
          "sh"));
      argv.addAll(candidates);
      var links = host.run(CommandLine.of(argv.toArray(String[]::new)), COMMAND_LIMIT);
      var mine = prefix + "/";
      return links
          .output()
          .lines()
          .map(l -> l.split(" ", 2))
          .filter(f -> f.length == 2 && f[1].startsWith(mine))
          .map(f -> Long.parseLong(f[0]))
          .distinct()
          .sorted()
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Ends this prefix's orphaned workers (TERM, then KILL), so a new master can bind the port;
   * returns how many there were.
   */
  int reapOrphans() throws IOException, InterruptedException {
    var orphans = orphans();
    if (orphans.isEmpty()) {
      return 0;
    }
    signal("TERM", orphans);
    var until = System.nanoTime() + SETTLE_LIMIT.toNanos();
    while (!orphans().isEmpty()) {
      if (System.nanoTime() > until) {
        signal("KILL", orphans());
        break;
      }
      Thread.sleep(50);
    }
    return orphans.size();
  }

  private void signal(String signal, List<Long> pids) throws IOException {
    if (pids.isEmpty()) {
      return;
    }
    var argv = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> argv.add(p.toString()));
    host.run(CommandLine.of(argv.toArray(String[]::new)), COMMAND_LIMIT); // gone already is fine
  }

  /**
   * Starts the master detached, its output going to a log file: a master that daemonizes keeps
   * the pipes of whoever started it, and reading them would never end.
   */
  void start(CommandLine command) throws IOException, InterruptedException {
    var result = host.runDetached(command, prefix.resolve("logs/start.log"), SETTLE_LIMIT);
    if (!result.succeeded()) {
      throw new IOException("nginx did not start: " + result.output().strip());
    }
    if (!awaitRunning(true)) {
      throw new IOException("nginx started, but no master process of " + prefix + " runs; see "
          + prefix.resolve("logs/error.log"));
    }
  }

  /** Waits until a master runs ({@code running}) or none does; false when the limit passed. */
  boolean awaitRunning(boolean running) throws InterruptedException {
    var until = System.nanoTime() + SETTLE_LIMIT.toNanos();
    while (runningPid().isPresent() != running) {
      if (System.nanoTime() > until) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
