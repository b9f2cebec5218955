package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.host.CommandLine;
import dev.reconcile.host.CommandResult;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Sites of an nginx front door, judged by {@code nginx -t} before they are installed. Every file
 * and command goes through the front door's host.
 */
final class NginxSiteControl implements SiteControl {
  @Override
  public boolean controls(NginxSettings nginx) {
    return true;
  }

  @Override
  public boolean answersChallenges(FrontDoor door, String text) {
    return text.contains("include " + door.challengeFile().toAbsolutePath() + ";");
  }

  @Override
  public boolean overTls(String text) {
    return SiteFile.read("", text)
        .flatMap(ObservedSite::recorded)
        .flatMap(SiteFingerprint::tls)
        .isPresent();
  }

  @Override
  public Optional<String> revision(String text) {
    return SiteFile.revision(text);
  }

  @Override
  public String contentHash(String text) {
    return SpecHash.sha256(SiteFile.body(text));
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final NginxCommands commands = NginxCommands.standard();

  @Override
  public String rewrite(String text, UnaryOperator<String> change) {
    return SiteFile.rewrite(text, change);
  }

  @Override
  public String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
    return SiteFile.render(
        site,
        upstreams,
        new SiteRenderer.TlsFiles(
            door.certificateFile(
                    ResourceId.certificate(site.id().project(), site.id().environment()))
                .toAbsolutePath()
                .toString(),
            door.challengeFile().toAbsolutePath().toString(),
            door.accessLog(site.id()).toAbsolutePath().toString()),
        switchesLive(door));
  }

  /** Whether this front door routes live: a managed nginx whose host has the lua module. */
  @Override
  public boolean switchesLive(FrontDoor door) {
    return door.nginx() instanceof NginxSettings.Managed && LiveRoutes.available(door.host());
  }

  @Override
  public SiteControl.Verdict check(FrontDoor door, ResourceId site, String text)
      throws ProviderException {
    if (installedAlready(door, Map.of(site, text))) {
      return new SiteControl.Verdict.Accepted();
    }
    return inCheckFolder(door, "checking " + site, (managed, work) -> {
      var candidate = work.resolve(SiteFile.fileName(site));
      door.host().write(candidate, text);
      var alone = test(door, managed, work, "alone", List.of(candidate.toString()));
      if (alone instanceof SiteControl.Verdict.Rejected) {
        return alone;
      }
      var all = new ArrayList<String>(otherSites(door, Set.of(site)));
      all.add(candidate.toString());
      return test(door, managed, work, "all", all);
    });
  }

  @Override
  public SiteControl.Verdict checkTogether(FrontDoor door, Map<ResourceId, String> sites)
      throws ProviderException {
    if (installedAlready(door, sites)) {
      return new SiteControl.Verdict.Accepted();
    }
    return inCheckFolder(door, "checking " + sites.size() + " sites together", (managed, work) -> {
      var all = new ArrayList<String>(otherSites(door, sites.keySet()));
      for (var site : sites.entrySet()) {
        var candidate = work.resolve(SiteFile.fileName(site.getKey()));
        door.host().write(candidate, site.getValue());
        all.add(candidate.toString());
      }
      return test(door, managed, work, "together", all);
    });
  }

  /**
   * Whether each site's body is the one installed already (a switch of routes alone changes only
   * the header): nginx accepted it with the others when it was installed, and the header is a
   * comment, so nginx -t has nothing new to judge.
   */
  private static boolean installedAlready(FrontDoor door, Map<ResourceId, String> sites) {
    try {
      for (var site : sites.entrySet()) {
        var installed = door.host().read(door.sitesDir().resolve(SiteFile.fileName(site.getKey())));
        var body = SiteFile.body(site.getValue());
        if (installed.isEmpty()
            || body.equals(site.getValue())
            || !SiteFile.body(installed.get()).equals(body)
            || SiteFile.read("", installed.get())
                .map(ObservedSite::editedOutside)
                .orElse(true)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private interface CheckRun {
    SiteControl.Verdict run(ManagedNginx managed, Path work) throws IOException;
  }

  /**
   * Runs a check in a folder of its own (applies of other projects check their sites at the same
   * time), removed afterwards.
   */
  private static SiteControl.Verdict inCheckFolder(FrontDoor door, String what, CheckRun check)
      throws ProviderException {
    var managed = managed(door);
    Path work = null;
    try {
      managed.prepare(door.sitesDir());
      Challenges.ensure(door.host(), door.challengeFile());
      work = door.host().createTempDirectory(managed.prefix().resolve("check"), "run-");
      return check.run(managed, work);
    } catch (IOException e) {
      throw fault(door, what, e);
    } finally {
      deleteQuietly(door, work);
    }
  }

  private static void deleteQuietly(FrontDoor door, @Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try {
      door.host().deleteTree(dir);
    } catch (IOException e) {
      // A leftover check folder is harmless: nothing includes it.
    }
  }

  private SiteControl.Verdict test(
      FrontDoor door, ManagedNginx managed, Path work, String name, List<String> includes)
      throws IOException {
    var config = work.resolve(name + ".conf");
    door.host().write(config, managed.mainConfig(includes));
    var result = door.host().run(commands.test(managed.prefix(), config), TIMEOUT);
    return result.succeeded()
        ? new SiteControl.Verdict.Accepted()
        : new SiteControl.Verdict.Rejected(result.output().strip());
  }

  @Override
  public Optional<String> installed(FrontDoor door, ResourceId site) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      return door.host().read(file);
    } catch (IOException e) {
      throw fault(door, "reading " + file, e);
    }
  }

  /**
   * Writes a site's routes file (for a body routed live; removed otherwise), then its file: nginx
   * reads both at its next start or reload, and {@link #serve} pushes the routes to it.
   */
  @Override
  public void install(FrontDoor door, ResourceId site, String text) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      if (door.nginx() instanceof NginxSettings.Managed) {
        var routes = LiveRoutes.file(door.stateDir().resolve("nginx").toAbsolutePath(), site);
        if (SiteRenderer.routedLive(SiteFile.body(text))) {
          door.host().createDirectories(AtomicFiles.parentOf(routes));
          door.host().write(routes, LiveRoutes.text(site, SiteFile.upstreams(text)));
        } else {
          door.host().delete(routes);
        }
      }
      door.host().write(file, text);
    } catch (IOException e) {
      throw fault(door, "installing " + file, e);
    }
  }

  @Override
  public Outcome uninstall(FrontDoor door, ResourceId site) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      var deleted = door.host().delete(file);
      if (door.nginx() instanceof NginxSettings.Managed) {
        door.host()
            .delete(LiveRoutes.file(door.stateDir().resolve("nginx").toAbsolutePath(), site));
      }
      return deleted
          ? new Outcome.Deleted(site, "site file " + file)
          : new Outcome.AlreadyAbsent(site, "site file " + file);
    } catch (IOException e) {
      throw fault(door, "removing " + file, e);
    }
  }

  @Override
  public void reload(FrontDoor door) throws ProviderException {
    try {
      switch (door.nginx()) {
        case NginxSettings.Managed m ->
          reloadManaged(door, new ManagedNginx(door.host(), door.stateDir(), m));
        case NginxSettings.System s -> reloadSystem(door, s);
      }
    } catch (IOException e) {
      throw fault(door, "reloading nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault(door, "reloading nginx", new IOException("interrupted"));
    }
  }

  /**
   * Serves what is installed after these sites' files were: when nginx routes live and has loaded
   * everything else already, their routes are pushed to the running workers; otherwise, or when
   * the push is not taken (an nginx started before it could), it reloads.
   */
  @Override
  public SiteControl.Switch serve(FrontDoor door, Collection<ResourceId> switched)
      throws ProviderException {
    if (!(door.nginx() instanceof NginxSettings.Managed m) || !switchesLive(door)) {
      reload(door);
      return SiteControl.Switch.RELOADED;
    }
    var managed = new ManagedNginx(door.host(), door.stateDir(), m);
    try {
      managed.prepare(door.sitesDir());
      if (managed.runsInstalled(door.sitesDir()) && push(door, managed, switched)) {
        return SiteControl.Switch.ROUTED;
      }
    } catch (IOException e) {
      // Not pushed: the reload below loads the routes files with everything else.
    }
    reload(door);
    return SiteControl.Switch.RELOADED;
  }

  /** Pushes the routes files of these sites; false when nginx did not take them all. */
  private static boolean push(FrontDoor door, ManagedNginx managed, Collection<ResourceId> switched)
      throws IOException {
    var text = new StringBuilder();
    for (var site : switched) {
      var routes = door.host().read(LiveRoutes.file(managed.prefix(), site));
      if (routes.isEmpty()) {
        return false; // a site not routed live (rendered before): it needs the reload
      }
      text.append(routes.get());
    }
    var listen = door.nginx().probeAddress();
    var at = door.host().reach(listen.host(), listen.port());
    var expected = text.toString().lines().count();
    return LiveRoutes.push(at, managed.token(), text.toString())
        .filter(n -> n == expected)
        .isPresent();
  }

  /** Workers whose title says they are shutting down, children of the master of this front door. */
  @Override
  public int oldWorkers(FrontDoor door) {
    var master = switch (door.nginx()) {
      case NginxSettings.Managed m ->
        new ManagedNginx(door.host(), door.stateDir(), m).runningPid();
      case NginxSettings.System s -> systemMaster(door);
    };
    if (master.isEmpty()) {
      return 0;
    }
    try {
      var children = door.host()
          .run(CommandLine.of("ps", "--ppid", master.get().toString(), "-o", "args="), TIMEOUT);
      return children.succeeded()
          ? (int)
              children.output().lines().filter(l -> l.contains("shutting down")).count()
          : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Established TCP connections to these ports on 127.0.0.1, counted at their client's end (each
   * loopback connection shows twice in {@code ss}, once from each end).
   */
  @Override
  public int connectionsTo(FrontDoor door, Collection<Integer> ports) {
    if (ports.isEmpty()) {
      return 0;
    }
    try {
      var ss = door.host().run(CommandLine.of("ss", "-Htn", "state", "established"), TIMEOUT);
      return ss.succeeded() ? countPeers(ss.output(), ports) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The lines of {@code ss -Htn state established} whose peer is 127.0.0.1 on one of the ports. */
  static int countPeers(String ss, Collection<Integer> ports) {
    var wanted = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toSet());
    return (int) ss.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .map(l -> l.substring(l.lastIndexOf(' ') + 1).replace("[::ffff:", "").replace("]", ""))
        .filter(wanted::contains)
        .count();
  }

  private static Optional<Long> systemMaster(FrontDoor door) {
    try {
      return door.host()
          .read(Path.of("/run/nginx.pid"))
          .map(String::strip)
          .filter(t -> t.matches("[0-9]{1,10}"))
          .map(Long::valueOf);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** USR1 to a managed master (it reopens its logs, no worker restarts); a reload of the system's. */
  @Override
  public void reopenLogs(FrontDoor door) throws ProviderException {
    try {
      switch (door.nginx()) {
        case NginxSettings.Managed m -> {
          var pid = new ManagedNginx(door.host(), door.stateDir(), m).runningPid();
          if (pid.isPresent()) {
            run(door, commands.signal("USR1", pid.get()));
          }
        }
        case NginxSettings.System s -> reloadSystem(door, s);
      }
    } catch (IOException e) {
      throw fault(door, "having nginx reopen its logs", e);
    }
  }

  @Override
  public SiteControl.Verdict checkInstalled(FrontDoor door) throws ProviderException {
    try {
      CommandResult result;
      switch (door.nginx()) {
        case NginxSettings.Managed m -> {
          var managed = new ManagedNginx(door.host(), door.stateDir(), m);
          managed.prepare(door.sitesDir());
          if (managed.runsInstalled(door.sitesDir())) {
            // nginx -t judged exactly this when the running master loaded it.
            return new SiteControl.Verdict.Accepted();
          }
          result = door.host().run(commands.test(managed.prefix(), managed.config()), TIMEOUT);
        }
        case NginxSettings.System s ->
          result = door.host().run(new CommandLine(s.testCommand(), Set.of()), TIMEOUT);
      }
      return result.succeeded()
          ? new SiteControl.Verdict.Accepted()
          : new SiteControl.Verdict.Rejected(result.output().strip());
    } catch (IOException e) {
      throw fault(door, "checking the installed configuration", e);
    }
  }

  @Override
  public List<Long> orphanedWorkers(FrontDoor door) {
    return door.nginx() instanceof NginxSettings.Managed m
        ? new ManagedNginx(door.host(), door.stateDir(), m).orphans()
        : List.of();
  }

  @Override
  public Optional<Long> runningPid(FrontDoor door) {
    return door.nginx() instanceof NginxSettings.Managed m
        ? new ManagedNginx(door.host(), door.stateDir(), m).runningPid()
        : Optional.empty();
  }

  @Override
  public boolean stop(FrontDoor door) throws ProviderException {
    if (!(door.nginx() instanceof NginxSettings.Managed m)) {
      return false;
    }
    var managed = new ManagedNginx(door.host(), door.stateDir(), m);
    var pid = managed.runningPid();
    if (pid.isEmpty()) {
      return false;
    }
    try {
      run(door, commands.signal("QUIT", pid.get()));
      if (!managed.awaitRunning(false)) {
        throw new IOException("nginx (pid " + pid.get() + ") was asked to stop and still runs "
            + ManagedNginx.SETTLE_LIMIT.toSeconds() + " s later");
      }
      return true;
    } catch (IOException e) {
      throw fault(door, "stopping nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault(
          door, "stopping nginx", new IOException("interrupted while waiting for it to exit"));
    }
  }

  private void reloadManaged(FrontDoor door, ManagedNginx managed)
      throws IOException, InterruptedException {
    managed.prepare(door.sitesDir());
    var verdict = door.host().run(commands.test(managed.prefix(), managed.config()), TIMEOUT);
    if (!verdict.succeeded()) {
      throw new IOException(
          "the installed configuration fails nginx -t: " + verdict.output().strip());
    }
    // Read before the signal: a file changed after it may be loaded or not, so it differs from
    // this record and the next switch reloads rather than assume it.
    var loading = managed.live() ? managed.loading(door.sitesDir()) : "";
    var pid = managed.runningPid();
    if (pid.isEmpty()) {
      // Workers of a master killed with -9 still hold the port: a new master could not bind it.
      managed.reapOrphans();
      managed.start(commands.start(managed.prefix(), managed.config()));
      pid = managed.runningPid();
    } else {
      run(door, commands.signal("HUP", pid.get()));
    }
    if (managed.live() && pid.isPresent()) {
      managed.recordLoaded("pid " + pid.get() + "\n" + loading);
    }
  }

  private void reloadSystem(FrontDoor door, NginxSettings.System settings) throws IOException {
    Challenges.ensure(door.host(), door.challengeFile());
    run(door, new CommandLine(settings.testCommand(), Set.of()));
    run(door, new CommandLine(settings.reloadCommand(), Set.of()));
  }

  private static void run(FrontDoor door, CommandLine command) throws IOException {
    var result = door.host().run(command, TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException("'" + command + "' failed: " + result.output().strip());
    }
  }

  /** The site files installed, by path on the host, this site's own left out. */
  static List<String> otherSites(FrontDoor door, Set<ResourceId> except) throws IOException {
    var names = except.stream().map(SiteFile::fileName).collect(Collectors.toSet());
    return door.host().list(door.sitesDir()).stream()
        .filter(n -> n.endsWith(".conf"))
        .filter(n -> !names.contains(n))
        .map(n -> door.sitesDir().toAbsolutePath().resolve(n).toString())
        .toList();
  }

  private static ManagedNginx managed(FrontDoor door) {
    // System mode is checked with the same minimal configuration, listening on loopback.
    var settings =
        door.nginx() instanceof NginxSettings.Managed m ? m : NginxSettings.Managed.DEFAULT;
    return new ManagedNginx(door.host(), door.stateDir(), settings);
  }

  private static ProviderException fault(FrontDoor door, String what, IOException e) {
    return new ProviderException.Terminal(
        "nginx (" + door.sitesDir() + ")",
        what + ": " + e.getMessage(),
        "see " + door.stateDir().resolve("nginx/logs/error.log") + " for nginx's own words",
        e);
  }
}
