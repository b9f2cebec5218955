package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import dev.reconcile.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.stream.Stream;

/**
 * Durations are bounded: a health interval or timeout of days, or an interval times retries
 * beyond an hour, would make apply wait on one container for longer than anyone means; a release
 * command runs at most a day, nginx waits for an answer at most an hour, and a container has at
 * most an hour to stop (in whole seconds: the engine counts a stop grace so).
 */
final class DurationRule implements SemanticRule {
  static final Duration MAX_STEP = Duration.ofMinutes(10);
  static final Duration MAX_WAIT = Duration.ofHours(1);
  static final Duration MAX_RELEASE = Duration.ofHours(24);

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .flatMap(Tree::allContainers)
        .map(c -> c.get("health"))
        .filter(h -> h.node().isObject())
        .forEach(health -> {
          for (var key : new String[] {"interval", "timeout"}) {
            var at = health.get(key);
            if (at.node().isTextual()) {
              Durations.parse(at.node().asText())
                  .filter(d -> d.compareTo(MAX_STEP) > 0)
                  .ifPresent(d -> out.add(doc.errorAtValue(
                      at.path(),
                      "health." + key + " '" + at.node().asText()
                          + "' is longer than the most allowed, 10m")));
            }
          }
          var interval = health.get("interval");
          var retries = health.get("retries");
          if (interval.node().isTextual() && retries.node().canConvertToInt()) {
            Durations.parse(interval.node().asText())
                .filter(d -> d.compareTo(MAX_STEP) <= 0)
                .filter(d -> d.multipliedBy(retries.node().asInt()).compareTo(MAX_WAIT) > 0)
                .ifPresent(d -> out.add(doc.errorAtValue(
                    retries.path(),
                    "health waits "
                        + interval.node().asText() + " x " + retries.node().asInt()
                        + " retries, more than the most allowed, 1h")));
          }
        });
    Tree.projects(doc).flatMap(Tree::allContainers).forEach(c -> {
      bounded(
          doc,
          c.get("release").get("timeout"),
          "release.timeout",
          Duration.ofSeconds(1),
          MAX_RELEASE,
          "24h",
          out);
      bounded(doc, c.get("timeout"), "timeout", Duration.ofSeconds(1), MAX_WAIT, "1h", out);
      var grace = c.get("stop_grace");
      if (grace.node().isTextual()) {
        Durations.parse(grace.node().asText())
            .filter(d -> d.compareTo(MAX_WAIT) > 0 || d.toMillis() % 1000 != 0)
            .ifPresent(d -> out.add(doc.errorAtValue(
                grace.path(),
                "stop_grace '" + grace.node().asText()
                    + "' must be from 0s to 1h, in whole seconds")));
      }
    });
    Tree.fields(SpecPath.of("platform", "hosts"), doc.root().path("platform").path("hosts"))
        .map(h -> h.get("timeout"))
        .filter(t -> t.node().isTextual())
        .forEach(t -> Durations.parse(t.node().asText())
            .filter(d -> d.compareTo(MAX_STEP) > 0 || d.isZero())
            .ifPresent(d -> out.add(doc.errorAtValue(
                t.path(),
                "a host's timeout '" + t.node().asText()
                    + "' must be more than 0 and at most 10m"))));
    return out.stream();
  }

  private static void bounded(
      SpecDocument doc,
      Tree.At at,
      String what,
      Duration least,
      Duration most,
      String mostText,
      ArrayList<Diagnostic> out) {
    if (at.node().isTextual()) {
      Durations.parse(at.node().asText())
          .filter(d -> d.compareTo(least) < 0 || d.compareTo(most) > 0)
          .ifPresent(d -> out.add(doc.errorAtValue(
              at.path(),
              what + " '" + at.node().asText() + "' must be at least 1s and at most " + mostText)));
    }
  }
}
