package dev.reconcile.cli;

import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.spec.SchemaCheck;
import java.util.Optional;
import java.util.Set;

/**
 * Start-up work a run will need, begun at once on threads of its own while the main thread builds
 * the command line and reads projects.yml: the JSON Schema's validator, and what the providers
 * need to read the engines' answers. Each is CPU work of one process start (docs/benchmarks.md, latency to first
 * action); done beside the main thread it no longer lies on the way to the plan. A run that
 * turns out not to need it (a bad option, a spec that does not validate) only spent the CPU.
 */
final class Ahead {
  /** The commands that read projects.yml. */
  private static final Set<String> READ_SPEC = Set.of(
      "validate",
      "plan",
      "apply",
      "rollback",
      "drift",
      "watch",
      "history",
      "status",
      "logs",
      "exec",
      "run",
      "nginx",
      "hosts",
      "backup",
      "unlock",
      "state",
      "export",
      "adopt");

  /** The commands that ask engines about what runs. */
  private static final Set<String> OBSERVE = Set.of(
      "plan",
      "apply",
      "rollback",
      "drift",
      "watch",
      "status",
      "logs",
      "exec",
      "run",
      "backup",
      "adopt");

  private Ahead() {}

  static void start(Optional<String> command, String... args) {
    if (command.isEmpty() || isHelp(args)) {
      return;
    }
    var name = command.get();
    if (READ_SPEC.contains(name)) {
      daemon("prepare-schema", SchemaCheck::projects);
    }
    if (OBSERVE.contains(name)) {
      daemon("prepare-providers", ObservedStateCollector::prepareProviders);
    }
  }

  private static boolean isHelp(String... args) {
    for (var arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  private static void daemon(String name, Runnable work) {
    Thread.ofPlatform().name(name).daemon().start(() -> {
      try {
        work.run();
      } catch (RuntimeException | LinkageError e) {
        // The main thread meets the same fault where it needs the work, and reports it there.
      }
    });
  }
}
