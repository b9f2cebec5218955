package dev.reconcile.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The export's own promises: strictness that bites, secrets as references, names Kubernetes takes. */
class ManifestsTest {
  private static final String SPEC = """
      version: 1
      platform:
        hosts: { cluster: { swarm: "unix:///var/run/docker.sock" } }
        tls:
          acme: { directory: "https://acme-v02.api.letsencrypt.org/directory" }
      projects:
        shop:
          host: cluster
          domains: { production: [shop.example.com, www.shop.example.com] }
          containers:
            web: { image: "shop/web:1.0", port: 8080, replicas: 3, health: { path: /health, interval: 500ms },
                   resources: { cpus: 0.5, memory: 256m } }
            api:
              image: "shop/api:1.0"
              port: 3000
              api_locations: [/api/]
              stop_grace: 45s
              env: { LOG_LEVEL: info, DB_PASSWORD: hunter2, URL: "${DATABASE_URL}" }
      """;

  private static java.util.List<KubernetesExport.Environment> export(String yaml) throws Exception {
    var spec = SpecValidator.standard()
        .validate(yaml.getBytes(StandardCharsets.UTF_8), "t.yml")
        .spec()
        .orElseThrow();
    return KubernetesExport.of(new Expander(Variables.NONE).expand(spec, Selection.ALL));
  }

  @Test
  void export_isStrictlyValid_withSecretsOnlyAsReferences() throws Exception {
    var environment = export(SPEC).getFirst();
    var text = Manifests.yaml(environment.objects());

    assertThat(Manifests.check(environment.objects())).isEmpty();
    assertThat(text)
        .doesNotContain("hunter2")
        .contains("secretKeyRef")
        .contains("replicas: 3")
        .contains("path: /api\n")
        .contains("secretName: shop-production-tls")
        .contains("maxUnavailable: 0")
        .contains("periodSeconds: 1")
        .contains("cpu: 500m")
        .contains("memory: 256Mi")
        .containsOnlyOnce("terminationGracePeriodSeconds: 45");
    assertThat(environment.secretKeys()).containsExactly("DB_PASSWORD", "URL");
  }

  @Test
  void aValueMarkedSecret_isASecretWhateverItsName() throws Exception {
    var environment = export(
            SPEC.replace("LOG_LEVEL: info", "LITERAL: { value: s3cr3t-literal, secret: true }"))
        .getFirst();
    assertThat(Manifests.yaml(environment.objects())).doesNotContain("s3cr3t-literal");
    assertThat(environment.secretKeys()).containsExactly("DB_PASSWORD", "LITERAL", "URL");
  }

  @Test
  void aFieldTheModelDoesNotKnow_failsTheCheck() throws Exception {
    var objects = new java.util.ArrayList<>(export(SPEC).getFirst().objects());
    var deployment = (Deployment)
        objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
    deployment.getSpec().setAdditionalProperty("replicaz", 2);

    assertThat(Manifests.check(objects))
        .singleElement()
        .asString()
        .contains("fields Kubernetes does not know: [replicaz]");
  }

  @Test
  void aNameTooLongForKubernetes_isRefusedNamingIt() {
    var long_ = "a".repeat(30);
    var spec =
        SPEC.replace("shop:", long_ + ":").replace("web:", "webwebwebwebwebwebwebwebwebwebweb:");

    assertThatThrownBy(() -> export(spec))
        .isInstanceOf(KubernetesExport.Unexportable.class)
        .hasMessageContaining("cannot name a Kubernetes object");
  }
}
