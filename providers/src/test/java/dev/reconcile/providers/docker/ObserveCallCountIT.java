package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Observing a host costs the same number of list calls for 3 projects as for 30 (networks: one). */
class ObserveCallCountIT {
  private final String prefix =
      "rc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
  private final DockerHost host =
      DockerHost.connect("local", HostSpec.Docker.DEFAULT_ENDPOINT, t -> t);
  private final List<String> projects = new ArrayList<>();
  private static final String OWNER = "call-count-test";

  @AfterEach
  void cleanUp() {
    var hand = new HandMade(host, OWNER);
    projects.forEach(p -> hand.cleanUp(p, List.of()));
    host.close();
  }

  private DesiredState desired(int count) {
    return desired(count, false);
  }

  /** With {@code adopting}, every project takes over a compose project (of none running). */
  private DesiredState desired(int count, boolean adopting) {
    var yaml = new StringBuilder("version: 1\nprojects:\n");
    for (int i = 0; i < count; i++) {
      yaml.append("  ")
          .append(prefix)
          .append("p")
          .append(i)
          .append(":\n")
          .append("    domains: { production: ")
          .append(prefix)
          .append(i)
          .append(".test }\n")
          .append("    containers:\n      web: { image: \"reconcile-test/web:v1\", port: 8080 }\n");
      if (adopting) {
        yaml.append("    environments:\n      production:\n        adopt: { compose: ")
            .append(prefix)
            .append("c")
            .append(i)
            .append(" }\n");
      }
    }
    var spec = SpecValidator.standard()
        .validate(yaml.toString().getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    return new Expander(Variables.NONE).expand(spec, Selection.ALL);
  }

  /** Requests per API path, with ids and query strings taken out. */
  private Map<String, Integer> observeCounting(DesiredState desired) throws Exception {
    var counts = new ConcurrentHashMap<String, AtomicInteger>();
    var transport =
        (java.util.function.UnaryOperator<DockerHttpClient>) http -> new DockerHttpClient() {
          @Override
          public Response execute(Request request) {
            var path = request
                .path()
                .replaceAll("\\?.*", "")
                .replaceAll("^/v[0-9.]+", "")
                .replaceAll("/images/.+/json", "/images/{ref}/json");
            counts
                .computeIfAbsent(request.method() + " " + path, k -> new AtomicInteger())
                .incrementAndGet();
            return http.execute(request);
          }

          @Override
          public void close() throws java.io.IOException {
            http.close();
          }
        };
    try (var provider = new DockerProvider(transport)) {
      var batch = provider.observe(new ObserveRequest(
          new ObserveTarget.DockerHost(
              new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT),
              Optional.of(18080),
              OWNER),
          desired));
      assertThat(batch.resources().stream()
              .filter(r -> r instanceof ObservedContainer && r.id().project().startsWith(prefix)))
          .hasSize((int) desired.all(DesiredContainer.class).count());
    }
    var out = new java.util.TreeMap<String, Integer>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Test
  void observe_threeOrThirtyProjects_makesTheSameCalls() throws Exception {
    var hand = new HandMade(host, OWNER);
    var thirty = desired(30);
    var containers = thirty.all(DesiredContainer.class).toList();
    containers.forEach(c -> projects.add(c.id().project()));
    containers.subList(0, 3).forEach(c -> hand.create(c, "blue"));
    var callsForThree = observeCounting(desired(3));

    containers.subList(3, 30).forEach(c -> hand.create(c, "blue"));
    var callsForThirty = observeCounting(thirty);

    assertThat(callsForThirty).isEqualTo(callsForThree);
    assertThat(callsForThree)
        .containsEntry("GET /containers/json", 2)
        .containsEntry("GET /volumes", 1)
        .containsEntry("GET /images/{ref}/json", 1)
        .containsEntry("GET /networks", 1)
        .hasSize(4);
  }

  @Test
  void observe_adoptingComposeProjects_listsTheOtherContainersOnce() throws Exception {
    var hand = new HandMade(host, OWNER);
    var desired = desired(3, true);
    desired.all(DesiredContainer.class).forEach(c -> {
      projects.add(c.id().project());
      hand.create(c, "blue");
    });

    assertThat(observeCounting(desired)).isEqualTo(observeCounting(desired(3)));
  }
}
