package dev.reconcile.execute;

import dev.reconcile.host.CommandLine;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Plan;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * nginx must stay the only public listener, and a swarm task publishes its port on every
 * interface (the engine cannot bind it to 127.0.0.1). So before tasks start on a swarm host,
 * pre-flight checks that the firewall chain Docker leaves to its users, DOCKER-USER, drops or
 * rejects what comes from outside; unless the host says its task ports may be public.
 */
final class Firewall {
  /** A rule that drops or rejects traffic that did not come in on loopback. */
  private static final Pattern FILTERS = Pattern.compile("-A DOCKER-USER .*-j (DROP|REJECT).*");

  private Firewall() {}

  static List<String> check(RolloutContext ctx, Plan plan) {
    var problems = new ArrayList<String>();
    var hosts = plan.changes().stream()
        .filter(c -> c.id().kind() == ResourceKind.SERVICE)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE)
        .map(c -> ctx.spec().projects().get(c.id().project()))
        .filter(Objects::nonNull)
        .map(p -> ctx.spec().platform().hosts().get(p.host()))
        .distinct()
        .toList();
    for (var host : hosts) {
      if (host.publicTaskPorts()) {
        continue;
      }
      try {
        var result = ctx.machine(host)
            .run(CommandLine.of("iptables", "-S", "DOCKER-USER"), Duration.ofSeconds(10));
        if (!result.succeeded()) {
          problems.add("host " + host.name() + ": cannot read the DOCKER-USER firewall chain ("
              + result.output().strip()
              + "); its swarm tasks' ports would listen on every interface. " + HOW);
        } else if (result.output().lines().noneMatch(l -> FILTERS.matcher(l).matches())) {
          problems.add("host " + host.name()
              + ": its swarm tasks' ports listen on every interface, and the DOCKER-USER "
              + "firewall chain drops nothing. " + HOW);
        }
      } catch (IOException | ProviderException e) {
        problems.add("host " + host.name() + ": cannot check its firewall: " + e.getMessage());
      }
    }
    return problems;
  }

  private static final String HOW =
      "Drop them from outside (iptables -I DOCKER-USER ! -i lo -p tcp --dport "
          + "30000:65535 -j DROP; see docs/swarm.md), or accept it with task_ports: public on the host";
}
