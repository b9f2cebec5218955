package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.model.HostSpec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServiceRuntime} promises, whoever wrote it: a service created converges to
 * running tasks whose addresses answer, and its undo removes it; an update says what it replaced,
 * converges, and its undo puts that back. An interface, so a provider's test class can take it
 * on: implement the four methods, on a swarm whose task addresses this test can reach. {@code
 * reconcile-core}'s test jar ships it (docs/plugins.md).
 */
public interface ServiceRuntimeContract {
  /** The capability under test. */
  ServiceRuntime services();

  /** A host that runs services (a swarm manager). */
  HostSpec serviceHost();

  /** A service of a project of the test's own, one replica; its image answers 2xx on {@code /}. */
  DesiredService routedService() throws Exception;

  /** The owner label of the test's own. */
  String serviceOwner();

  /** Watches a rollout to its end (bounded by its own limit); the last look. */
  private ServiceRuntime.Progress converge(ServiceRuntime.Rolled rolled) throws Exception {
    var until = Instant.now().plus(rolled.limit()).plusSeconds(30);
    while (true) {
      var now = services().progress(serviceHost(), rolled, 1);
      if (now.ended() || Instant.now().isAfter(until)) {
        return now;
      }
      Thread.sleep(200); // the engine's rollout, polled as the executor does, bounded above
    }
  }

  @Test
  default void created_convergesToATaskThatAnswers_andItsUndoRemovesIt() throws Exception {
    var rolled = services().start(serviceHost(), routedService(), Map.of(), serviceOwner());

    assertThat(rolled.previous()).as("nothing was replaced").isEmpty();
    var done = converge(rolled);
    assertThat(done.ended()).as(done.words()).isTrue();
    assertThat(done.failure()).isEmpty();
    assertThat(done.replaced()).isTrue();
    assertThat(done.addresses()).hasSize(1);
    assertThat(Answers.statusAt(done.addresses().getFirst())).isBetween(200, 299);

    var undone = services().undo(serviceHost(), rolled);

    assertThat(undone).isInstanceOf(Outcome.Deleted.class);
  }

  @Test
  default void updated_saysWhatItReplaced_converges_andItsUndoPutsItBack() throws Exception {
    var first = services().start(serviceHost(), routedService(), Map.of(), serviceOwner());
    assertThat(converge(first).ended()).isTrue();

    var update =
        services().start(serviceHost(), routedService(), Map.of("RELEASE", "2"), serviceOwner());

    assertThat(update.previous()).as("the spec it replaced").isPresent();
    var done = converge(update);
    assertThat(done.ended()).as(done.words()).isTrue();
    assertThat(done.failure()).isEmpty();
    assertThat(done.addresses()).hasSize(1);
    assertThat(Answers.statusAt(done.addresses().getFirst())).isBetween(200, 299);

    var undone = services().undo(serviceHost(), update);

    assertThat(undone).isNotInstanceOf(Outcome.Deleted.class);
    var back = converge(new ServiceRuntime.Rolled(
        update.id(), update.serviceId(), java.util.Optional.empty(), update.limit(), "put back"));
    assertThat(back.ended()).as(back.words()).isTrue();
    assertThat(back.addresses()).hasSize(1);
    services().undo(serviceHost(), first);
  }
}
