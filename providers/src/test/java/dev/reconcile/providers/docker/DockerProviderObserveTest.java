package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.docker.FakeEngine.Answer;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One observation of an engine: its questions asked at once, a failure told as its own. */
class DockerProviderObserveTest {
  private static final String OWNER = "observe-test";

  private static DesiredState desired() {
    var yaml = """
        version: 1
        projects:
          shop:
            domains: { production: shop.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, volumes: { data: /data } }
        """;
    var spec = SpecValidator.standard()
        .validate(yaml.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    return new Expander(Variables.NONE).expand(spec, Selection.ALL);
  }

  private static ObserveRequest request() {
    return new ObserveRequest(
        new ObserveTarget.DockerHost(
            new HostSpec.Docker("local", "unix:///nonexistent/fake.sock"),
            Optional.of(18080),
            OWNER),
        desired());
  }

  /** An engine with nothing on it. */
  private static FakeEngine empty() {
    return new FakeEngine()
        .on("GET", "/containers/json", r -> Answer.json("[]"))
        .on("GET", "/volumes", r -> Answer.json("{\"Volumes\": []}"))
        .on("GET", "/networks", r -> Answer.json("[]"));
  }

  @Test
  void observe_asksTheEngineItsQuestionsAtOnce() throws Exception {
    // The container list (asked first) is answered only once the volume list was asked as well:
    // asked one after the other, the first would wait in vain and the observation would fail.
    var volumesAsked = new CountDownLatch(1);
    var engine = new FakeEngine()
        .on("GET", "/containers/json", r -> {
          try {
            return volumesAsked.await(10, TimeUnit.SECONDS) ? Answer.json("[]") : Answer.empty(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.empty(500);
          }
        })
        .on("GET", "/volumes", r -> {
          volumesAsked.countDown();
          return Answer.json("{\"Volumes\": []}");
        })
        .on("GET", "/networks", r -> Answer.json("[]"));
    try (var provider = new DockerProvider(http -> engine)) {
      var batch = provider.observe(request());
      assertThat(batch.resources()).isEmpty();
      assertThat(batch.conflicts()).isEmpty();
    }
  }

  @Test
  void observe_oneQuestionFailing_failsWithThatQuestionsFault() throws Exception {
    var engine = empty().on("GET", "/volumes", r -> Answer.empty(500));
    try (var provider = new DockerProvider(http -> engine)) {
      assertThatThrownBy(() -> provider.observe(request()))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("listing volumes");
    }
  }

  @Test
  void observe_someoneElsesVolume_isAConflict_whicheverAnswerComesFirst() throws Exception {
    var engine = empty()
        .on(
            "GET",
            "/volumes",
            r -> Answer.json("{\"Volumes\": [{\"Name\": \""
                + Names.volume(
                    dev.reconcile.resource.ResourceId.volume("shop", "production", "data"))
                + "\", \"Labels\": {}}]}"));
    try (var provider = new DockerProvider(http -> engine)) {
      var batch = provider.observe(request());
      assertThat(batch.conflicts()).hasSize(1);
      assertThat(batch.conflicts().getFirst().toString()).contains("volume");
    }
  }
}
