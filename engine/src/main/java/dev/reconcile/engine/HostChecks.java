package dev.reconcile.engine;

import dev.reconcile.host.CommandLine;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code reconcile hosts check} finds on each host, all hosts at once: that it answers, its
 * engine and nginx versions, the free disk of the engine's data, and how far its clock is from
 * this machine's (snapshots and locks carry times).
 */
public final class HostChecks {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Path DOCKER_DATA = Path.of("/var/lib/docker");

  private final Hosts hosts;
  private final Clock clock;

  public HostChecks(Hosts hosts, Clock clock) {
    this.hosts = hosts;
    this.clock = clock;
  }

  /**
   * One host's findings.
   *
   * @param fault why the host could not be checked at all, if it could not
   * @param skew the host's clock minus this machine's, at the middle of the round trip
   */
  public record Report(
      String host,
      Optional<String> fault,
      String engine,
      String nginx,
      OptionalLong freeBytes,
      Optional<Duration> skew) {
    public boolean ok() {
      return fault.isEmpty() && !engine.startsWith("error");
    }
  }

  public List<Report> check(List<HostSpec> specs) throws InterruptedException {
    try (var pool =
        Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
      var futures = new ArrayList<Future<Report>>();
      specs.forEach(spec -> futures.add(pool.submit(() -> check(spec))));
      var out = new ArrayList<Report>();
      for (var future : futures) {
        try {
          out.add(future.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
      return out;
    }
  }

  private Report check(HostSpec spec) {
    Host host;
    try {
      host = hosts.host(spec);
    } catch (ProviderException e) {
      return new Report(
          spec.name(),
          Optional.of(Texts.messageOf(e)),
          "",
          "",
          OptionalLong.empty(),
          Optional.empty());
    }
    var docker = new ArrayList<>(List.of("docker"));
    if (spec instanceof HostSpec.Docker d
        && !d.endpoint().equals(HostSpec.Docker.DEFAULT_ENDPOINT)) {
      docker.addAll(List.of("-H", d.endpoint()));
    }
    docker.addAll(List.of("version", "--format", "{{.Server.Version}}"));
    var engine = answer(host, new CommandLine(docker, Set.of()));
    var nginx = answer(host, CommandLine.of("nginx", "-v")).replace("nginx version: ", "");
    OptionalLong free;
    try {
      free = host.freeBytes(DOCKER_DATA);
    } catch (IOException e) {
      free = OptionalLong.empty();
    }
    return new Report(spec.name(), Optional.empty(), engine, nginx, free, skew(host));
  }

  private static String answer(Host host, CommandLine command) {
    try {
      var result = host.run(command, TIMEOUT);
      var text = result.output().strip();
      return result.succeeded()
          ? text
          : "error: " + (text.isEmpty() ? "exit " + result.exitCode() : text);
    } catch (IOException e) {
      return "error: " + e.getMessage();
    }
  }

  private Optional<Duration> skew(Host host) {
    try {
      var before = clock.millis();
      var result = host.run(CommandLine.of("date", "+%s%3N"), TIMEOUT);
      var after = clock.millis();
      var remote = Long.parseLong(result.output().strip());
      return Optional.of(Duration.ofMillis(remote - (before + after) / 2));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
