package dev.reconcile.export;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.resource.ResourceId;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manifests of each project environment, as a Kubernetes cluster would run what the tool
 * runs on hosts: a Deployment per container (rolling updates that never go below the declared
 * replicas, a readiness probe from {@code health}), a Service per routed container, one Ingress
 * with the domains and routes nginx would get, a PersistentVolumeClaim per volume. Values that
 * are secrets ({@code ${VAR}}, or a name holding PASSWORD, SECRET, TOKEN or KEY) are references to
 * a Secret named {@code PROJECT-ENV-env}, never filled in.
 */
public final class KubernetesExport {
  /** A Service's or Deployment's name: DNS-1035, at most 63 characters. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  /** What a claim asks for when projects.yml says nothing of sizes (edit before applying). */
  static final String VOLUME_SIZE = "1Gi";

  private KubernetesExport() {}

  /**
   * One project environment's manifests.
   *
   * @param secret the Secret its Deployments read from, and the keys they need (to be created)
   */
  public record Environment(
      String project,
      String environment,
      List<HasMetadata> objects,
      String secret,
      List<String> secretKeys) {
    public Environment {
      objects = List.copyOf(objects);
      secretKeys = List.copyOf(secretKeys);
    }
  }

  /** Thrown when a name cannot be a Kubernetes name; says which and why. */
  public static final class Unexportable extends Exception {
    public Unexportable(String message) {
      super(message);
    }
  }

  public static List<Environment> of(DesiredState desired) throws Unexportable {
    var keys = new TreeSet<String>();
    desired.resources().keySet().forEach(id -> keys.add(id.environmentKey()));
    var out = new ArrayList<Environment>();
    for (var key : keys) {
      var parts = key.split("/");
      out.add(environment(desired, parts[0], parts[1]));
    }
    return out;
  }

  private static Environment environment(DesiredState desired, String project, String environment)
      throws Unexportable {
    var objects = new ArrayList<HasMetadata>();
    var secret = project + "-" + environment + "-env";
    var secretKeys = new TreeSet<String>();
    // A swarm host's services are containers declared the same way.
    var containers = Stream.concat(
            desired.all(DesiredContainer.class),
            desired.all(DesiredService.class).map(DesiredService::container))
        .filter(c -> c.id().project().equals(project) && c.id().environment().equals(environment))
        .sorted(Comparator.comparing(DesiredContainer::id))
        .toList();
    var claims = new TreeSet<String>();
    for (var container : containers) {
      container.spec().volumes().keySet().forEach(claims::add);
    }
    for (var volume : claims) {
      objects.add(new PersistentVolumeClaimBuilder()
          .withNewMetadata()
          .withName(name(project, environment, volume))
          .withLabels(labels(project, environment, volume))
          .endMetadata()
          .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withNewResources()
          .withRequests(Map.of("storage", new Quantity(VOLUME_SIZE)))
          .endResources()
          .endSpec()
          .build());
    }
    for (var container : containers) {
      objects.add(deployment(project, environment, container, secret, secretKeys));
      if (container.spec().isRouted()) {
        objects.add(service(project, environment, container.spec()));
      }
    }
    var site = desired.get(ResourceId.site(project, environment)).map(DesiredSite.class::cast);
    if (site.isPresent()) {
      var tls = desired
          .get(ResourceId.certificate(project, environment))
          .map(DesiredCertificate.class::cast);
      objects.add(ingress(project, environment, site.get(), tls.isPresent()));
    }
    return new Environment(project, environment, objects, secret, List.copyOf(secretKeys));
  }

  private static HasMetadata deployment(
      String project,
      String environment,
      DesiredContainer container,
      String secret,
      TreeSet<String> secretKeys)
      throws Unexportable {
    var spec = container.spec();
    var name = name(project, environment, spec.name());
    var env = new ArrayList<EnvVar>();
    spec.env().forEach((key, value) -> {
      if (value.isInterpolated() || value.isSecretUnder(key)) {
        secretKeys.add(key);
        env.add(new EnvVarBuilder()
            .withName(key)
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(secret)
            .withKey(key)
            .endSecretKeyRef()
            .endValueFrom()
            .build());
      } else {
        env.add(new EnvVarBuilder().withName(key).withValue(value.template()).build());
      }
    });
    var box = new ContainerBuilder()
        .withName(spec.name())
        .withImage(spec.image().toString())
        .withEnv(env);
    if (!spec.command().isEmpty()) {
      // Docker's command replaces the image's CMD, which Kubernetes calls args.
      box.withArgs(spec.command());
    }
    spec.port()
        .ifPresent(p -> box.withPorts(
            new ContainerPortBuilder().withName("http").withContainerPort(p).build()));
    probe(spec).ifPresent(box::withReadinessProbe);
    spec.resources().ifPresent(r -> {
      var limits = new LinkedHashMap<String, Quantity>();
      r.cpus().ifPresent(c -> limits.put("cpu", new Quantity(Math.round(c * 1000) + "m")));
      if (r.memory().isPresent()) {
        limits.put("memory", new Quantity(binary(r.memory().getAsLong())));
      }
      box.withNewResources().withLimits(limits).endResources();
    });
    spec.volumes()
        .forEach((volume, path) -> box.addToVolumeMounts(
            new VolumeMountBuilder().withName(volume).withMountPath(path).build()));
    var volumes = new ArrayList<Volume>();
    for (var v : spec.volumes().keySet()) {
      volumes.add(new VolumeBuilder()
          .withName(v)
          .withNewPersistentVolumeClaim()
          .withClaimName(name(project, environment, v))
          .endPersistentVolumeClaim()
          .build());
    }
    var selector = selector(project, environment, spec.name());
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels(project, environment, spec.name()))
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec.replicas())
        .withStrategy(strategy(spec))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(project, environment, spec.name()))
        .endMetadata()
        .withNewSpec()
        .withContainers(box.build())
        .withVolumes(volumes)
        // Absent: Kubernetes' own 30 s, as the engine's 10 s is here.
        .withTerminationGracePeriodSeconds(
            spec.stopGrace().map(Duration::toSeconds).orElse(null))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** blue-green: one more first, never one less; recreate: the old goes before the new starts. */
  private static DeploymentStrategy strategy(ContainerSpec spec) {
    if (spec.updateStrategy() == UpdateStrategy.RECREATE) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .build();
  }

  private static Optional<Probe> probe(ContainerSpec spec) {
    var health = spec.health();
    var command = health.map(h -> h.command()).filter(c -> !c.isEmpty());
    if (spec.port().isEmpty() && command.isEmpty()) {
      return Optional.empty();
    }
    var port = new IntOrString("http");
    var probe = new ProbeBuilder();
    if (command.isPresent()) {
      // health.command: what the engine ran as a HEALTHCHECK, an exec probe here.
      probe.withNewExec().withCommand(command.get()).endExec();
    } else if (health.isPresent() && health.get().path().isPresent()) {
      probe.withNewHttpGet().withPath(health.get().path().get()).withPort(port).endHttpGet();
    } else {
      probe.withNewTcpSocket().withPort(port).endTcpSocket();
    }
    health.ifPresent(h -> probe
        .withPeriodSeconds(seconds(h.interval()))
        .withTimeoutSeconds(seconds(h.timeout()))
        .withFailureThreshold(h.retries()));
    return Optional.of(probe.build());
  }

  /** Bytes as Kubernetes writes them: {@code 256Mi}, {@code 1Gi}. */
  static String binary(long bytes) {
    for (var unit : List.of(Map.entry("Gi", 30), Map.entry("Mi", 20), Map.entry("Ki", 10))) {
      if (bytes % (1L << unit.getValue()) == 0) {
        return (bytes >> unit.getValue()) + unit.getKey();
      }
    }
    return Long.toString(bytes);
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private static HasMetadata service(String project, String environment, ContainerSpec spec)
      throws Unexportable {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(project, environment, spec.name()))
        .withLabels(labels(project, environment, spec.name()))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector(project, environment, spec.name()))
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }

  /** The domains and routes nginx gets, as one Ingress (its class is the cluster's default). */
  private static HasMetadata ingress(
      String project, String environment, DesiredSite site, boolean tls) throws Unexportable {
    var paths = new ArrayList<HTTPIngressPath>();
    for (var route : site.fingerprint().routes()) {
      var location = route.location().length() > 1 && route.location().endsWith("/")
          ? route.location().substring(0, route.location().length() - 1)
          : route.location();
      paths.add(new HTTPIngressPathBuilder()
          .withPath(location)
          .withPathType("Prefix")
          .withNewBackend()
          .withNewService()
          .withName(name(project, environment, route.component()))
          .withNewPort()
          .withName("http")
          .endPort()
          .endService()
          .endBackend()
          .build());
    }
    var rules = site.fingerprint().domains().stream()
        .map(d -> new IngressRuleBuilder()
            .withHost(d)
            .withNewHttp()
            .withPaths(paths)
            .endHttp()
            .build())
        .toList();
    var ingress = new IngressBuilder()
        .withNewMetadata()
        .withName(ingressName(project, environment))
        .withLabels(labels(project, environment, "ingress"))
        .endMetadata()
        .withNewSpec()
        .withRules(rules);
    if (tls) {
      // The certificate: a Secret of this name (cert-manager makes one from this Ingress).
      ingress.addToTls(new IngressTLSBuilder()
          .withHosts(site.fingerprint().domains())
          .withSecretName(project + "-" + environment + "-tls")
          .build());
    }
    return ingress.endSpec().build();
  }

  private static Map<String, String> labels(String project, String environment, String component) {
    var labels = new LinkedHashMap<String, String>();
    labels.put("app.kubernetes.io/name", component);
    labels.put("app.kubernetes.io/instance", project + "-" + environment);
    labels.put("app.kubernetes.io/part-of", project);
    labels.put("app.kubernetes.io/managed-by", "reconcile");
    labels.put("reconcile.project", project);
    labels.put("reconcile.environment", environment);
    labels.put("reconcile.component", component);
    return labels;
  }

  private static Map<String, String> selector(
      String project, String environment, String component) {
    return Map.of(
        "app.kubernetes.io/name",
        component,
        "app.kubernetes.io/instance",
        project + "-" + environment);
  }

  private static String ingressName(String project, String environment) throws Unexportable {
    return checked(project + "-" + environment);
  }

  /** {@code PROJECT-CONTAINER-ENV}, as the swarm names its services. */
  static String name(String project, String environment, String component) throws Unexportable {
    return checked(project + "-" + component + "-" + environment);
  }

  private static String checked(String name) throws Unexportable {
    if (!DNS_LABEL.matcher(name).matches()) {
      throw new Unexportable(
          "'" + name + "' cannot name a Kubernetes object: at most 63 characters, "
              + "lowercase letters, digits and '-', starting with a letter; shorten the project, container "
              + "or environment name");
    }
    return name;
  }
}
