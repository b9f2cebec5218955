package dev.reconcile.providers.tls;

import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The CA's refusals of an environment's names, kept with the front door so that every run (a
 * controller healing all night, a cron job, a second laptop) spaces its orders: after the n-th
 * refusal in a row the same names are asked again after 15 min * 2^(n-1), at most a day.
 * Let's Encrypt allows 5 failed validations per name and account an hour; this stays below.
 * An order that succeeds, or other names, start afresh.
 */
final class Refusals {
  static final Duration FIRST = Duration.ofMinutes(15);
  static final Duration MOST = Duration.ofDays(1);

  /** One environment's record: the names, how many refusals in a row, the last one and why. */
  record Refused(String domains, int times, Instant last, String why) {
    Instant nextOrder() {
      var wait = FIRST.multipliedBy(1L << Math.min(times - 1, 16));
      return last.plus(wait.compareTo(MOST) > 0 ? MOST : wait);
    }

    String text() {
      return domains + "\n" + times + "\n" + last + "\n" + why.replace('\n', ' ') + "\n";
    }

    static Optional<Refused> parse(String text) {
      var lines = text.split("\n", -1);
      try {
        return lines.length < 4
            ? Optional.empty()
            : Optional.of(new Refused(
                lines[0], Integer.parseInt(lines[1]), Instant.parse(lines[2]), lines[3]));
      } catch (RuntimeException e) {
        return Optional.empty(); // a damaged record spaces nothing: the next order decides
      }
    }
  }

  private final FrontDoor door;

  Refusals(FrontDoor door) {
    this.door = door;
  }

  Path file(ResourceId id) {
    return door.stateDir().resolve("acme/refused-" + id.project() + "." + id.environment());
  }

  /** Refuses to order yet when the CA refused these same names too recently. */
  void check(ResourceId id, List<String> domains, Instant now) throws ProviderException {
    var record = read(id).filter(r -> r.domains().equals(String.join(",", domains)));
    if (record.isPresent() && now.isBefore(record.get().nextOrder())) {
      var r = record.get();
      throw new ProviderException.Terminal(
          "the CA",
          "not asking the CA again before " + r.nextOrder()
              + ": it refused " + String.join(", ", domains) + " "
              + (r.times() == 1 ? "once" : r.times() + " times")
              + " in a row, last at " + r.last() + " (" + r.why() + ")",
          "fix what the CA said; orders are spaced to stay inside its limit of failed validations (remove "
              + file(id) + " on " + door.describe() + " to ask at once)",
          null);
    }
  }

  void refused(ResourceId id, List<String> domains, Instant now, String why) {
    var names = String.join(",", domains);
    var times =
        read(id).filter(r -> r.domains().equals(names)).map(Refused::times).orElse(0) + 1;
    try {
      door.host().createDirectories(AtomicFiles.parentOf(file(id)));
      door.host().write(file(id), new Refused(names, times, now, why).text());
    } catch (IOException e) {
      // Unrecorded, the next run may ask sooner: the CA's own limit still stands.
    }
  }

  void obtained(ResourceId id) {
    try {
      door.host().delete(file(id));
    } catch (IOException e) {
      // A stale record of other names is ignored; of these names, it spaces one order needlessly.
    }
  }

  private Optional<Refused> read(ResourceId id) {
    try {
      return door.host().read(file(id)).flatMap(Refused::parse);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
