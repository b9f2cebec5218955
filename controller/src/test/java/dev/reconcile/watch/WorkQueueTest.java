package dev.reconcile.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  @Test
  void aKeyAddedTwiceWhileWaiting_isHandedOutOnce() throws Exception {
    var queue = new WorkQueue(Clock.systemUTC());
    queue.add("a/p");
    queue.add("b/p");
    queue.add("a/p");

    assertThat(queue.depth()).isEqualTo(2);
    assertThat(queue.take()).contains("a/p");
    assertThat(queue.take()).contains("b/p");
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aKeyBeingWorkedOn_isNeverHandedOutAgain_untilDone_thenOnceMore() throws Exception {
    var queue = new WorkQueue(Clock.systemUTC());
    queue.add("a/p");
    var taken = queue.take().orElseThrow();

    queue.add("a/p");
    queue.add("a/p");
    assertThat(queue.depth()).as("not while a worker has it").isZero();

    queue.done(taken);
    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.take()).contains("a/p");
  }

  @Test
  void aDelayedKey_waitsForItsTimeByTheQueuesClock() throws Exception {
    var clock = new ManualClock();
    var queue = new WorkQueue(clock);
    queue.addAfter("a/p", Duration.ofSeconds(30));

    assertThat(queue.depth()).isZero();
    assertThat(queue.delayed()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(29));
    assertThat(queue.depth()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.take()).contains("a/p");
  }

  @Test
  void afterShutDown_takeReturnsEmpty_andAddsAreIgnored() throws Exception {
    var queue = new WorkQueue(Clock.systemUTC());
    var waiting = Thread.ofVirtual().start(() -> {
      try {
        assertThat(queue.take()).isEmpty();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    queue.shutDown();
    waiting.join();
    queue.add("a/p");

    assertThat(queue.take()).isEmpty();
  }

  @Test
  void aKeyBackingOff_waitsOutItsBackoff_whateverAddsItMeanwhile() throws Exception {
    var clock = new ManualClock();
    var queue = new WorkQueue(clock);
    queue.backOff("a/p", Duration.ofMinutes(5));

    for (int second = 0; second < 299; second++) {
      queue.add("a/p"); // its own site write, an engine event, the resync, the backup tick
      clock.advance(Duration.ofSeconds(1));
      assertThat(queue.depth()).as("at %d s", second).isZero();
    }
    assertThat(queue.held("a/p")).isTrue();
    queue.add("b/p");
    assertThat(queue.take()).as("other keys are not held").contains("b/p");
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.depth()).as("due once, not once per add").isEqualTo(1);
    assertThat(queue.held("a/p")).isFalse();
    assertThat(queue.take()).contains("a/p");
    queue.done("a/p");
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aLongerBackoff_isNotCutShortByAnEarlierRetry() throws Exception {
    var clock = new ManualClock();
    var queue = new WorkQueue(clock);
    queue.addAfter("a/p", Duration.ofSeconds(10));
    queue.backOff("a/p", Duration.ofMinutes(1));

    clock.advance(Duration.ofSeconds(10));
    assertThat(queue.depth()).isZero();
    clock.advance(Duration.ofSeconds(50));
    assertThat(queue.depth()).isEqualTo(1);
  }

  @Test
  void backoff_doublesPerFailureInARow_upToItsCap_andASuccessForgets() {
    var backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.failed("b/p"))
        .as("keys back off on their own")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(10));
    }
    backoff.forget("a/p");
    assertThat(backoff.current("a/p")).isZero();
    assertThat(backoff.failed("a/p")).isEqualTo(Duration.ofSeconds(1));
  }
}
