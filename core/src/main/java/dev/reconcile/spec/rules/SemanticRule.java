package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.List;
import java.util.stream.Stream;

/** One rule the schema cannot express. */
public interface SemanticRule {
  Stream<Diagnostic> check(SpecDocument document);

  /** Every rule, in no particular order (diagnostics are sorted by position). */
  static List<SemanticRule> all() {
    return List.of(
        new DomainRule(),
        new LocationRule(),
        new RoutingRule(),
        new ReferenceRule(),
        new ImageRule(),
        new ValueRule(),
        new PlatformRule(),
        new ContainerRule(),
        new ProbePathRule(),
        new DurationRule(),
        new ScheduleRule(),
        new NameRule(),
        new TlsRule(),
        new SwarmRule(),
        new AdoptionRule(),
        new WholeNumberRule(),
        new DependsOnRule(),
        new SharedWithRule());
  }
}
