package dev.reconcile.cli.view;

import dev.reconcile.engine.HostChecks;
import dev.reconcile.host.HostConnector.HostKey;
import java.util.List;

/** What {@code reconcile hosts} says. */
public final class HostsView {
  private final Terminal terminal;

  public HostsView(Terminal terminal) {
    this.terminal = terminal;
  }

  public void reports(List<HostChecks.Report> reports) {
    var width = reports.stream().mapToInt(r -> r.host().length()).max().orElse(4);
    for (var r : reports) {
      var name = String.format("%-" + width + "s", r.host());
      if (r.fault().isPresent()) {
        terminal
            .out()
            .println(
                name + "  " + terminal.red("UNREACHABLE") + "  " + r.fault().get());
        continue;
      }
      terminal
          .out()
          .println(name + "  " + (r.ok() ? terminal.green("ok") : terminal.red("PROBLEM"))
              + "  engine " + r.engine() + "  nginx " + r.nginx()
              + r.freeBytes().stream()
                  .mapToObj(b -> String.format("  disk %.1f GiB free", b / (double) (1L << 30)))
                  .findFirst()
                  .orElse("")
              + r.skew()
                  .map(s -> String.format("  clock %+.1f s", s.toMillis() / 1000.0))
                  .orElse(""));
    }
  }

  public void unknownHost(String name, List<String> known) {
    terminal
        .err()
        .println("reconcile: no host '" + name + "' in platform.hosts (hosts: "
            + String.join(", ", known) + ")");
  }

  public void notAServer(String name) {
    terminal
        .err()
        .println("reconcile: host '" + name
            + "' is an engine of this machine: it has no host key to trust");
  }

  public void key(HostKey key) {
    terminal.out().println(key.host() + " (" + key.where() + ") offers " + key.offered());
    switch (key.trust()) {
      case TRUSTED -> terminal.out().println("It is already trusted in " + key.knownHosts() + ".");
      case UNKNOWN ->
        terminal
            .out()
            .println(
                "It is not in " + key.knownHosts() + ". Compare it with the "
                    + "server's own (on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).");
      case CHANGED ->
        terminal
            .err()
            .println("reconcile: " + terminal.red("the key has CHANGED") + ": "
                + key.knownHosts() + " holds another key for " + key.host()
                + ". This can be an attack, or a "
                + "reinstalled server: ask its administrator; if the new key is right, remove the old line "
                + "(ssh-keygen -R) and run this again.");
    }
  }

  public void needsConfirmation(String command) {
    terminal
        .err()
        .println("reconcile: not trusted. Run '" + command + "' to add the key, once you "
            + "compared it with the server's.");
  }

  public void trusted(HostKey key) {
    terminal.out().println("Added the key of " + key.host() + " to " + key.knownHosts() + ".");
  }

  public void failed(String what, String why) {
    terminal.err().println("reconcile: " + what + ": " + why);
  }
}
