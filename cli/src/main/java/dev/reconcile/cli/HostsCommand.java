package dev.reconcile.cli;

import dev.reconcile.cli.view.HostsView;
import dev.reconcile.engine.HostChecks;
import dev.reconcile.engine.Layout;
import dev.reconcile.host.HostConnector.HostKey;
import dev.reconcile.model.BackupTarget;
import dev.reconcile.model.HostSpec;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Checks the hosts of platform.hosts, and trusts a server's host key. */
@Command(
    name = "hosts",
    mixinStandardHelpOptions = true,
    description = {
      "Check the hosts of platform.hosts, or trust a server's SSH host key.",
      "  check [NAME...]   connect to each host (all at once) and report its Docker",
      "                    engine and nginx versions, the free disk of /var/lib/docker,",
      "                    and its clock's distance from this machine's",
      "  trust NAME        show the host key the server offers with its SHA256",
      "                    fingerprint, and add it to the host's known_hosts after",
      "                    you compared it (--yes: without asking); NAME may be",
      "                    backup_target, the SFTP server of platform.backup_target",
      "",
      "Host keys are checked strictly: reconcile never trusts a key on first use."
    },
    footer = {
      "",
      "Exit codes: 0 every host answered (check) or the key is trusted (trust); 1 otherwise."
    })
final class HostsCommand implements Callable<Integer> {
  enum Action {
    check,
    trust
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(index = "0", paramLabel = "ACTION", description = "check or trust.")
  Action action;

  @Parameters(
      index = "1..*",
      paramLabel = "NAME",
      arity = "0..*",
      description = "Hosts by their name in platform.hosts (check: default all).")
  List<String> names = new ArrayList<>();

  @Option(names = "--yes", description = "trust: add the key without asking.")
  boolean yes;

  @Override
  public Integer call() throws InterruptedException {
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var platform = loaded.get().platform();
    var view = new HostsView(root.terminal());
    var hosts = root.reconciliation().hosts();
    hosts.useSpecDir(Layout.of(root.global().specPath(), platform).specDir());
    var chosen = new ArrayList<HostSpec>();
    for (var name : names) {
      // The SFTP server of platform.backup_target goes by its own name, so its key can be trusted
      // too.
      var spec = name.equals(BackupTarget.SERVER_NAME)
          ? platform
              .backupTarget()
              .flatMap(BackupTarget::server)
              .map(HostSpec.class::cast)
              .orElse(null)
          : platform.hosts().get(name);
      if (spec == null) {
        view.unknownHost(name, List.copyOf(platform.hosts().keySet()));
        return ExitCodes.ERROR;
      }
      chosen.add(spec);
    }
    return switch (action) {
      case check -> {
        var reports = new HostChecks(hosts, Clock.systemUTC())
            .check(chosen.isEmpty() ? List.copyOf(platform.hosts().values()) : chosen);
        view.reports(reports);
        yield reports.stream().allMatch(HostChecks.Report::ok) ? ExitCodes.OK : ExitCodes.ERROR;
      }
      case trust -> trust(chosen, view);
    };
  }

  private int trust(List<HostSpec> chosen, HostsView view) {
    if (chosen.size() != 1) {
      view.failed("trust", "name exactly one host, e.g. reconcile hosts trust web-2");
      return ExitCodes.ERROR;
    }
    var spec = chosen.getFirst();
    HostKey key;
    try {
      var scanned = root.reconciliation().hosts().scan(spec);
      if (scanned.isEmpty()) {
        view.notAServer(spec.name());
        return ExitCodes.ERROR;
      }
      key = scanned.get();
    } catch (IOException e) {
      view.failed("cannot read the host key of " + spec.name(), Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
    view.key(key);
    switch (key.trust()) {
      case TRUSTED -> {
        return ExitCodes.OK;
      }
      case CHANGED -> {
        return ExitCodes.ERROR;
      }
      case UNKNOWN -> {
        if (!yes && !confirmed()) {
          view.needsConfirmation("reconcile hosts trust " + spec.name() + " --yes");
          return ExitCodes.ERROR;
        }
      }
    }
    try {
      root.reconciliation().hosts().trust(spec, key);
      view.trusted(key);
      return ExitCodes.OK;
    } catch (IOException e) {
      view.failed("cannot add the key to " + key.knownHosts(), Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
  }

  private boolean confirmed() {
    return Confirmation.possible(root.terminal()) && Confirmation.ask("Is that the server's key?");
  }
}
