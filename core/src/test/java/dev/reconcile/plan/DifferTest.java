package dev.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.testing.ObservedFixture;
import dev.reconcile.validate.SpecValidator;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DifferTest {
  private static final Path PLANS = Path.of("src/test/resources/plans");

  @Test
  void diff_emptyHost_createsVolumesThenContainersThenSites() throws Exception {
    var plan = PlanGoldenTest.planOf(PLANS.resolve("empty_host"));

    assertThat(plan.changes()).allMatch(c -> c.action() == Action.CREATE);
    assertThat(plan.changes().stream().map(c -> PlanOrder.phase(c)).toList()).isSorted();
    assertThat(plan.changes().getLast().id().toString()).isEqualTo("site:shop/staging");
  }

  @Test
  void diff_everyChange_carriesItsResourceAsDeclaredAndAsFound_andASavedPlanTakesThemBack()
      throws Exception {
    for (var name : new String[] {"image_bumped", "project_removed", "stray_slot", "in_sync"}) {
      var plan = PlanGoldenTest.planOf(PLANS.resolve(name));
      for (var change : plan.changes()) {
        assertThat(change.declared().isPresent())
            .as(name + ": " + change.label() + " declared")
            .isEqualTo(change.after().isPresent());
        assertThat(change.found().isPresent())
            .as(name + ": " + change.label() + " found")
            .isEqualTo(change.before().isPresent());
        change.found().ifPresent(f -> assertThat(f.id()).isEqualTo(change.id()));
      }
      var stray = plan.changes().stream().filter(c -> c.slot().isPresent()).findFirst();
      stray.ifPresent(
          c -> assertThat(c.found(ObservedContainer.class).orElseThrow().slot())
              .isEqualTo(c.slot().get()));

      var saved = PlanJson.read(PlanJson.write(plan));
      assertThat(saved.changes())
          .allMatch(c -> c.declared().isEmpty() && c.found().isEmpty());
      var back = saved.carryingFrom(plan).changes();
      assertThat(back)
          .extracting(Change::declared)
          .isEqualTo(plan.changes().stream().map(Change::declared).toList());
      assertThat(back)
          .extracting(Change::found)
          .isEqualTo(plan.changes().stream().map(Change::found).toList());
    }
  }

  @Test
  void diff_everyDependency_comesEarlierInThePlan() throws Exception {
    for (var name : new String[] {"empty_host", "project_removed_delete_volumes", "image_bumped"}) {
      var changes = PlanGoldenTest.planOf(PLANS.resolve(name)).changes();
      for (int i = 0; i < changes.size(); i++) {
        var earlier = changes.subList(0, i).stream().map(Change::id).toList();
        assertThat(earlier)
            .as(name + ": " + changes.get(i).label())
            .containsAll(changes.get(i).dependsOn().stream()
                .filter(d -> changes.stream().anyMatch(c -> c.id().equals(d)))
                .toList());
      }
    }
  }

  @Test
  void diff_removedProject_deletesContainersAfterTheirSite() throws Exception {
    var plan = PlanGoldenTest.planOf(PLANS.resolve("project_removed"));
    var web = plan.changes().stream()
        .filter(c -> c.id().toString().equals("container:blog/production/web"))
        .findFirst()
        .orElseThrow();

    assertThat(web.action()).isEqualTo(Action.DELETE);
    assertThat(web.dependsOn())
        .extracting(Object::toString)
        .containsExactly("site:blog/production");
  }

  @Test
  void diff_selectionOfOneProject_neverDeletesAnotherProjects() throws Exception {
    var spec = SpecValidator.standard()
        .validate(PLANS.resolve("base.yml"), "projects.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander((p, e) -> n -> Optional.of("x"))
        .expand(spec, new Selection(Set.of("shop"), Set.of()));
    var observed = ObservedFixture.read(PLANS.resolve("project_removed/observed.json"), desired);

    var plan = Differ.diff(desired, observed, DiffOptions.DEFAULT);

    assertThat(plan.changes()).noneMatch(c -> c.id().project().equals("blog"));
  }

  @Test
  void diff_recreate_isTheOnlyDowntime() throws Exception {
    assertThat(PlanGoldenTest.planOf(PLANS.resolve("recreate_database")).interruptions())
        .extracting(c -> c.impact())
        .containsExactly(TrafficImpact.BRIEF_OUTAGE);
    assertThat(PlanGoldenTest.planOf(PLANS.resolve("image_bumped")).interruptions())
        .isEmpty();
  }
}
