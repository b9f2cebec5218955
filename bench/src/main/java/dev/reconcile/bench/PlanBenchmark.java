package dev.reconcile.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.render.TextPlanRenderer;
import dev.reconcile.testing.ObservedFixture;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure planning path at scale: N projects x 2 environments x 3 containers (web, api,
 * worker), everything running, one project in ten with a new api image. Measures the diff, and
 * the diff plus a rendering, as {@code reconcile plan} does after observing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanBenchmark {
  @Param({"10", "100", "1000"})
  int projects;

  DesiredState desired;
  ObservedState observed;

  @Setup
  public void setUp() throws Exception {
    var spec = SpecValidator.standard()
        .validate(Fleet.spec(projects).getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    desired =
        new Expander((p, e) -> name -> Optional.of("value-of-" + name)).expand(spec, Selection.ALL);
    var file = Files.createTempFile("observed", ".json");
    Files.writeString(file, new ObjectMapper().writeValueAsString(Fleet.observed(projects)));
    observed = ObservedFixture.read(file, desired);
    Files.delete(file);
    var plan = Differ.diff(desired, observed, DiffOptions.DEFAULT);
    if (plan.summary().replace() != 2 * ((projects + 9) / 10)) {
      throw new IllegalStateException(
          "the fleet should plan one replace per tenth project: " + plan.summary());
    }
  }

  @Benchmark
  public Object diff() {
    return Differ.diff(desired, observed, DiffOptions.DEFAULT);
  }

  @Benchmark
  public String diffAndRenderText() {
    return new TextPlanRenderer(false).render(Differ.diff(desired, observed, DiffOptions.DEFAULT));
  }

  @Benchmark
  public String diffAndRenderJson() {
    return PlanJson.write(Differ.diff(desired, observed, DiffOptions.DEFAULT));
  }
}
