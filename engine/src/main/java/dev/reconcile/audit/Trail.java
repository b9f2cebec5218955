package dev.reconcile.audit;

import dev.reconcile.host.StateHome;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.spec.Interpolation;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The audit log of a state directory, and the webhook of platform.notify when it is set: what a
 * run records its events to.
 */
public final class Trail implements Events {
  private final AuditLog log;
  private final Optional<Webhook> webhook;
  private final Clock clock;
  private final Predicate<Event> sent;

  public Trail(AuditLog log, Optional<Webhook> webhook, Clock clock) {
    this(log, webhook, clock, e -> true);
  }

  private Trail(AuditLog log, Optional<Webhook> webhook, Clock clock, Predicate<Event> sent) {
    this.log = log;
    this.webhook = webhook;
    this.clock = clock;
    this.sent = sent;
  }

  /**
   * This trail for a process that runs for months: the audit log keeps every event, the webhook
   * hears a repeated failure once ({@link Repeats}).
   */
  public Trail withoutRepeats() {
    return new Trail(log, webhook, clock, new Repeats());
  }

  /**
   * @param processEnv where ${VAR} in the webhook's URL gets its value; a URL that does not
   *     resolve is said once and no webhook is used
   */
  public static Trail of(
      PlatformSpec spec, StateHome home, Map<String, String> processEnv, Clock clock) {
    return of(spec, home, processEnv, clock, System.err::println);
  }

  /**
   * @param warnings hears what the trail could not do (a webhook not set or not reached, the log
   *     not written): the run's own error output, which is not always this process's
   */
  public static Trail of(
      PlatformSpec spec,
      StateHome home,
      Map<String, String> processEnv,
      Clock clock,
      Consumer<String> warnings) {
    var platform = spec.platform();
    Optional<Webhook> webhook = Optional.empty();
    if (platform.webhook().isPresent()) {
      var resolved = Interpolation.resolve(
          platform.webhook().get().template(), name -> Optional.ofNullable(processEnv.get(name)));
      switch (resolved) {
        case Interpolation.Resolved.Value v -> {
          try {
            webhook = Optional.of(Webhook.standard(
                URI.create(v.text()),
                "json".equals(platform.notifyFormat()) ? Webhook.Format.JSON : Webhook.Format.SLACK,
                warnings));
          } catch (IllegalArgumentException e) {
            warnings.accept(
                "reconcile: warning: platform.notify.webhook is not a URL; nothing is sent");
          }
        }
        case Interpolation.Resolved.Missing m ->
          warnings.accept("reconcile: warning: platform.notify.webhook " + "needs "
              + String.join(", ", m.names()) + ", which is not set; nothing is sent");
      }
    }
    return new Trail(new AuditLog(home, warnings), webhook, clock);
  }

  /** An event of now. */
  public void record(
      String type, String environment, String outcome, String summary, Map<String, String> fields) {
    record(new Event(clock.instant().toString(), type, environment, outcome, summary, fields));
  }

  @Override
  public void record(Event event) {
    log.record(event);
    if (webhook.isPresent() && sent.test(event)) {
      webhook.get().record(event);
    }
  }

  /** Waits at most {@code limit} for the webhook's sends; for a CLI run about to exit. */
  public void flush(Duration limit) {
    webhook.ifPresent(w -> w.flush(limit));
  }
}
