package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.providers.exec.CommandLine;
import dev.reconcile.providers.exec.LocalCommandRunner;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    try {
      managed.prepare(door.sitesDir());
      var candidate = managed.prefix().resolve("check").resolve(SiteFile.fileName(site));
      Files.writeString(candidate, text, StandardCharsets.UTF_8);
      var alone = test(managed, "alone", List.of(candidate.toString()));
      if (alone instanceof SiteControl.Verdict.Rejected) {
        return alone;
      }
      var all = new ArrayList<String>(otherSites(door.sitesDir(), site));
      all.add(candidate.toString());
      return test(managed, "all", all);
    } catch (IOException e) {
      throw fault(door, "checking " + site, e);
    }
  }

  private SiteControl.Verdict test(ManagedNginx managed, String name, List<String> includes)
      throws IOException {
    var config = managed.prefix().resolve("check").resolve(name + ".conf");
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
      Files.createDirectories(door.sitesDir());
      var temp = Files.createTempFile(door.sitesDir(), ".tmp-", ".site");
      try {
        try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          channel.write(StandardCharsets.UTF_8.encode(text));
          channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
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
    if (managed.runningPid().isEmpty()) {
      return false;
    }
    try {
      run(commands.quit(managed.prefix(), managed.config()));
      return true;
    } catch (IOException e) {
      throw fault(door, "stopping nginx", e);
    }
  }

  private void reloadManaged(SiteControl.FrontDoor door, ManagedNginx managed)
      throws IOException, InterruptedException {
    managed.prepare(door.sitesDir());
    var verdict = runner.run(commands.test(managed.prefix(), managed.config()), TIMEOUT);
    if (!verdict.succeeded()) {
      throw new IOException("the installed configuration fails nginx -t: " + verdict.output().strip());
    }
    if (managed.runningPid().isEmpty()) {
      managed.start(commands.start(managed.prefix(), managed.config()));
      return;
    }
    run(commands.reload(managed.prefix(), managed.config()));
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
