package dev.reconcile.providers.nginx;

import dev.reconcile.host.CommandLine;
import java.nio.file.Path;

/**
 * Builds the nginx command lines the tool runs. Every command names its prefix and
 * configuration explicitly, so the tool never touches an nginx it does not own.
 */
public final class NginxCommands {
  private final String binary;

  public NginxCommands(String binary) {
    this.binary = binary;
  }

  public static NginxCommands standard() {
    return new NginxCommands("nginx");
  }

  /** {@code nginx -t}: checks a configuration without applying it. */
  public CommandLine test(Path prefix, Path config) {
    return CommandLine.of(binary, "-t", "-q", "-p", prefix.toString(), "-c", config.toString());
  }

  /** Starts a master for this prefix; it detaches and keeps serving after the tool exits. */
  public CommandLine start(Path prefix, Path config) {
    return CommandLine.of(binary, "-p", prefix.toString(), "-c", config.toString());
  }

  /**
   * Signals a master found by its process title: {@code HUP} reloads, {@code QUIT} stops after
   * open requests finish. Unlike {@code nginx -s}, it does not depend on the pid file.
   */
  public CommandLine signal(String signal, long pid) {
    return CommandLine.of("kill", "-s", signal, Long.toString(pid));
  }
}
