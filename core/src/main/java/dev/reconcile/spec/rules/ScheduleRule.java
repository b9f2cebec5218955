package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.model.CronSchedule;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.stream.Stream;

/** A backup schedule is a cron expression cron would accept: each field in its range. */
final class ScheduleRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .map(p -> p.get("backup").get("schedule"))
        .filter(s -> s.node().isTextual())
        .forEach(schedule -> {
          try {
            CronSchedule.parse(schedule.node().asText());
          } catch (IllegalArgumentException e) {
            out.add(doc.errorAtValue(
                schedule.path(),
                "backup.schedule '" + schedule.node().asText() + "': " + e.getMessage()));
          }
        });
    return out.stream();
  }
}
