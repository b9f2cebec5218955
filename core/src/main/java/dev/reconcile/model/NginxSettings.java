package dev.reconcile.model;

import java.util.List;

/** How the nginx front door is run: by the tool itself, or the system's own. */
public sealed interface NginxSettings {
  /** The tool runs its own nginx with a prefix in the state directory. */
  record Managed(String listenHost, int listenPort) implements NginxSettings {
    public static final Managed DEFAULT = new Managed("127.0.0.1", 8080);
  }

  /** Site files go to {@code confDir}; {@code reloadCommand} runs after {@code nginx -t}. */
  record System(String confDir, List<String> reloadCommand) implements NginxSettings {
    public System {
      reloadCommand = List.copyOf(reloadCommand);
    }
  }
}
