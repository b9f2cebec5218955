package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.providers.exec.CommandLine;
import dev.reconcile.providers.exec.LocalCommandRunner;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Sites of the nginx front door, judged by {@code nginx -t} before they are installed. */
final class NginxSiteControl {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final NginxCommands commands = NginxCommands.standard();
  private final LocalCommandRunner runner = new LocalCommandRunner();

  String render(DesiredSite site, Map<String, String> upstreams) {
    return SiteFile.render(site, upstreams);
  }

  SiteControl.Verdict check(SiteControl.FrontDoor door, ResourceId site, String text)
      throws ProviderException {
    var managed = managed(door);
    Path work = null;
    try {
      managed.prepare(door.sitesDir());
      // A folder of this call's own: applies of other projects check their sites at the same time.
      work = Files.createTempDirectory(managed.prefix().resolve("check"), "run-");
      var candidate = work.resolve(SiteFile.fileName(site));
      Files.writeString(candidate, text, StandardCharsets.UTF_8);
      var alone = test(managed, work, "alone", List.of(candidate.toString()));
      if (alone instanceof SiteControl.Verdict.Rejected) {
        return alone;
      }
      var all = new ArrayList<String>(otherSites(door.sitesDir(), site));
      all.add(candidate.toString());
      return test(managed, work, "all", all);
    } catch (IOException e) {
      throw fault(door, "checking " + site, e);
    } finally {
      deleteTree(work);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover check folder is harmless: nothing includes it.
    }
  }

  private SiteControl.Verdict test(ManagedNginx managed, Path work, String name, List<String> includes)
      throws IOException {
    var config = work.resolve(name + ".conf");
    Files.writeString(config, managed.mainConfig(includes), StandardCharsets.UTF_8);
    var result = runner.run(commands.test(managed.prefix(), config), TIMEOUT);
    return result.succeeded() ? new SiteControl.Verdict.Accepted()
        : new SiteControl.Verdict.Rejected(result.output().strip());
  }

  Optional<String> installed(SiteControl.FrontDoor door, ResourceId site) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw fault(door, "reading " + file, e);
    }
  }

  void install(SiteControl.FrontDoor door, ResourceId site, String text) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      AtomicFiles.writeString(file, text);
    } catch (IOException e) {
      throw fault(door, "installing " + file, e);
    }
  }

  Outcome uninstall(SiteControl.FrontDoor door, ResourceId site) throws ProviderException {
    var file = door.sitesDir().resolve(SiteFile.fileName(site));
    try {
      return Files.deleteIfExists(file) ? new Outcome.Deleted(site, "site file " + file)
          : new Outcome.AlreadyAbsent(site, "site file " + file);
    } catch (IOException e) {
      throw fault(door, "removing " + file, e);
    }
  }

  void reload(SiteControl.FrontDoor door) throws ProviderException {
    try {
      switch (door.nginx()) {
        case NginxSettings.Managed m -> reloadManaged(door, new ManagedNginx(door.stateDir(), m));
        case NginxSettings.System s -> reloadSystem(s);
      }
    } catch (IOException e) {
      throw fault(door, "reloading nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault(door, "reloading nginx", new IOException("interrupted"));
    }
  }

  SiteControl.Verdict checkInstalled(SiteControl.FrontDoor door) throws ProviderException {
    try {
      var result = switch (door.nginx()) {
        case NginxSettings.Managed m -> {
          var managed = new ManagedNginx(door.stateDir(), m);
          managed.prepare(door.sitesDir());
          yield runner.run(commands.test(managed.prefix(), managed.config()), TIMEOUT);
        }
        case NginxSettings.System s -> runner.run(new CommandLine(s.testCommand(), Set.of()), TIMEOUT);
      };
      return result.succeeded() ? new SiteControl.Verdict.Accepted()
          : new SiteControl.Verdict.Rejected(result.output().strip());
    } catch (IOException e) {
      throw fault(door, "checking the installed configuration", e);
    }
  }

  Optional<Long> runningPid(SiteControl.FrontDoor door) {
    return door.nginx() instanceof NginxSettings.Managed m
        ? new ManagedNginx(door.stateDir(), m).runningPid() : Optional.empty();
  }

  boolean stop(SiteControl.FrontDoor door) throws ProviderException {
    if (!(door.nginx() instanceof NginxSettings.Managed m)) {
      return false;
    }
    var managed = new ManagedNginx(door.stateDir(), m);
    var pid = managed.runningPid();
    if (pid.isEmpty()) {
      return false;
    }
    try {
      run(commands.signal("QUIT", pid.get()));
      if (!managed.awaitRunning(false)) {
        throw new IOException("nginx (pid " + pid.get() + ") was asked to stop and still runs "
            + ManagedNginx.SETTLE_LIMIT.toSeconds() + " s later");
      }
      return true;
    } catch (IOException e) {
      throw fault(door, "stopping nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fault(door, "stopping nginx", new IOException("interrupted while waiting for it to exit"));
    }
  }

  private void reloadManaged(SiteControl.FrontDoor door, ManagedNginx managed)
      throws IOException, InterruptedException {
    managed.prepare(door.sitesDir());
    var verdict = runner.run(commands.test(managed.prefix(), managed.config()), TIMEOUT);
    if (!verdict.succeeded()) {
      throw new IOException("the installed configuration fails nginx -t: " + verdict.output().strip());
    }
    var pid = managed.runningPid();
    if (pid.isEmpty()) {
      managed.start(commands.start(managed.prefix(), managed.config()));
      return;
    }
    run(commands.signal("HUP", pid.get()));
  }

  private void reloadSystem(NginxSettings.System settings) throws IOException {
    run(new CommandLine(settings.testCommand(), Set.of()));
    run(new CommandLine(settings.reloadCommand(), Set.of()));
  }

  private void run(CommandLine command) throws IOException {
    var result = runner.run(command, TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException("'" + command + "' failed: " + result.output().strip());
    }
  }

  private static List<String> otherSites(Path sitesDir, ResourceId except) throws IOException {
    if (!Files.isDirectory(sitesDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(sitesDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".conf"))
          .filter(p -> !p.getFileName().toString().equals(SiteFile.fileName(except)))
          .map(p -> p.toAbsolutePath().toString()).sorted().toList();
    }
  }

  private static ManagedNginx managed(SiteControl.FrontDoor door) {
    // System mode is checked with the same minimal configuration, listening on loopback.
    var settings = door.nginx() instanceof NginxSettings.Managed m ? m : NginxSettings.Managed.DEFAULT;
    return new ManagedNginx(door.stateDir(), settings);
  }

  private static ProviderException fault(SiteControl.FrontDoor door, String what, IOException e) {
    return new ProviderException.Terminal("nginx (" + door.sitesDir() + ")", what + ": " + e.getMessage(),
        "see " + door.stateDir().resolve("nginx/logs/error.log") + " for nginx's own words", e);
  }
}
