package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swarm of two engines (a manager and a worker, each in a network namespace of its own:
 * bin/lib/swarm-nodes.sh), with nginx on this machine reaching tasks at their nodes' addresses:
 * tasks on the worker count and take traffic, an update across both nodes completes with no
 * failed request, and a service with a volume stays on the node the tool talks to.
 */
class SwarmNodesIT {
  private static final Path SCRIPT =
      Path.of("..").toAbsolutePath().normalize().resolve("bin/lib/swarm-nodes.sh");
  private static final String MANAGER = "unix:///run/rcswn-m/docker.sock";
  private static final String WORKER_ADDRESS = "10.231.0.3";

  @TempDir
  Path dir;

  private final int listen = TestPorts.reserve();
  private final String project =
      "rcsn" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  @BeforeAll
  static void up() throws Exception {
    TestHosts.run(SCRIPT.toString(), "up", "reconcile-test/web:v1", "reconcile-test/web:v2");
  }

  @AfterAll
  static void down() throws Exception {
    TestHosts.run(SCRIPT.toString(), "down");
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
  }

  private static String manager(String... args) throws Exception {
    var argv = new ArrayList<>(List.of("docker", "-H", MANAGER));
    argv.addAll(Arrays.asList(args));
    return TestHosts.run(argv.toArray(String[]::new)).strip();
  }

  private void write(String version, int replicas, String extra) throws Exception {
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            # Task ports of the test's nodes are on a bridge of this machine only.
            cluster: { swarm: "%s", task_ports: public }
        projects:
          %s:
            host: cluster
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                replicas: %d
                health: { path: /health, interval: 1s, retries: 3 }
                smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
        %s""".formatted(
            listen, MANAGER, project, project, version, replicas, extra));
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun applied() {
    var applied = run("apply", "--yes", "--bake", "1s", "--drain", "0s");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
    return applied;
  }

  /** The node id of each running task of a service. */
  private List<String> taskNodes(String service) throws Exception {
    var out = manager(
        "service", "ps", "--filter", "desired-state=running", "--format", "{{.ID}}", service);
    var nodes = new ArrayList<String>();
    for (var task : out.isEmpty() ? new String[0] : out.split("\\s+")) {
      nodes.add(manager("inspect", "--format", "{{.NodeID}}", task));
    }
    return nodes;
  }

  @Test
  void tasksOnTheWorker_count_takeTraffic_andAnUpdateAcrossNodes_failsNoRequest() throws Exception {
    var service = project + "-web-production";
    write("v1", 2, "");
    var first = applied();
    // The engine spreads two replicas over the two nodes: one on the worker.
    var worker = manager("node", "ls", "--filter", "role=worker", "-q");
    assertThat(taskNodes(service)).contains(worker);
    assertThat(first.out()).contains("2 of 2 tasks healthy on").contains(WORKER_ADDRESS + ":");
    assertThat(run("status").out()).contains("2 of 2 running").contains(WORKER_ADDRESS + ":");
    var again = run("plan", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.out()).isZero();

    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    write("v2", 2, "");
    var updated = applied();
    load.awaitAnswer("version v2");
    load.stop();

    assertThat(updated.out()).contains("updated service " + service);
    assertThat(load.failures()).isEmpty();
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .body())
        .contains("version v2");
    var drift = run("drift");
    assertThat(drift.exitCode()).as(drift.out()).isZero();
  }

  @Test
  void aServiceWithAVolume_staysOnTheNodeTheToolTalksTo() throws Exception {
    write(
        "v1",
        1,
        String.join(
            "\n",
            "      files:",
            "        image: \"reconcile-test/web:v1\"",
            "        replicas: 2",
            "        volumes: { data: /data }",
            ""));
    applied();

    var self = manager("info", "--format", "{{.Swarm.NodeID}}");
    var service = project + "-files-production";
    assertThat(manager(
            "service",
            "inspect",
            "--format",
            "{{json .Spec.TaskTemplate.Placement.Constraints}}",
            service))
        .contains("node.id==" + self);
    assertThat(taskNodes(service)).hasSize(2).containsOnly(self);
  }
}
