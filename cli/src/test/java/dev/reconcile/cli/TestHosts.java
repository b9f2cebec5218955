package dev.reconcile.cli;

import java.util.ArrayList;
import java.util.List;

/** The tests' own hands on the engine (what a project left running, removing it) and their spec. */
final class TestHosts {
  private TestHosts() {}

  static String run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return out;
  }

  /**
   * The {@code projects:} section most apply tests deploy: one routed web container of the
   * test image, with a health path and a smoke check.
   */
  static String webProject(String project, String version) {
    return """
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
                smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
        """.formatted(project, project, version);
  }

  /** Names of the project's containers, running or not. */
  static List<String> containers(String project) throws Exception {
    var out = run(
        "docker",
        "ps",
        "-a",
        "--format",
        "{{.Names}}",
        "--filter",
        "label=reconcile.project=" + project);
    return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
  }

  /** Removes the project's containers, networks of names (the host's egress network is everyone's) and volumes. */
  static void removeProject(String project) throws Exception {
    var ids = run("docker", "ps", "-aq", "--filter", "label=reconcile.project=" + project)
        .strip();
    if (!ids.isEmpty()) {
      var command = new ArrayList<>(List.of("docker", "rm", "-f"));
      command.addAll(List.of(ids.split("\\s+")));
      run(command.toArray(String[]::new));
    }
    var networks = run(
            "docker", "network", "ls", "-q", "--filter", "label=reconcile.project=" + project)
        .strip();
    if (!networks.isEmpty()) {
      var command = new ArrayList<>(List.of("docker", "network", "rm"));
      command.addAll(List.of(networks.split("\\s+")));
      run(command.toArray(String[]::new));
    }
    // Its volumes too, and a restore's staging volumes a test killed or failed on purpose left:
    // those carry no project label, only the name of the volume they were to replace.
    var volumes = new ArrayList<String>();
    for (var filter : List.of("label=reconcile.project=" + project, "label=reconcile.restoring")) {
      for (var name :
          run("docker", "volume", "ls", "-q", "--filter", filter).strip().split("\\s+")) {
        if (name.startsWith(project + "-")) {
          volumes.add(name);
        }
      }
    }
    if (!volumes.isEmpty()) {
      var command = new ArrayList<>(List.of("docker", "volume", "rm", "-f"));
      command.addAll(volumes);
      run(command.toArray(String[]::new));
    }
  }
}
