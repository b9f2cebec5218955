package dev.reconcile.cli;

import dev.reconcile.cli.view.Terminal;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What bin/reconcile runs once per build to train the JVM's ahead-of-time cache (or class-data
 * archive): the commands people run most, one after the other in one process, against a
 * training copy of a spec, so the classes and the profiles of each are in the cache. Output is
 * dropped; a failure is never fatal (a cache trained on less is still a cache).
 */
public final class Training {
  private Training() {}

  public static void main(String[] args) {
    var spec = args[0];
    // The managed nginx's spec lies beside it (bin/lib/cds-training/managed).
    var managed = java.nio.file.Path.of(spec)
        .resolveSibling("managed")
        .resolve("projects.yml")
        .toString();
    var quiet = new PrintStream(OutputStream.nullOutputStream(), true);
    var terminal = Terminal.captured(quiet, quiet);
    String[][] runs = {
      {"--help"},
      {"validate", "-f", spec},
      {"validate", "-f", spec, "--output", "json"},
      {"plan", "-f", spec},
      {"plan", "-f", spec, "--format", "json"},
      {"plan", "-f", managed},
      {"drift", "-f", spec},
      {"history", "-f", spec},
      {"apply", "--help"},
    };
    for (var run : runs) {
      try {
        Main.run(terminal, run);
      } catch (RuntimeException e) {
        // Trained on what did run.
      }
    }
    System.exit(0);
  }
}
