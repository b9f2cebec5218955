package dev.reconcile.desired;

import dev.reconcile.model.Adoption;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.model.EnvironmentOverride;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.model.Proxy;
import dev.reconcile.model.TlsChoice;
import dev.reconcile.model.TlsSettings;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import dev.reconcile.spec.Interpolation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The entry point of the expand arrow: {@code PlatformSpec -> DesiredState}. Pure apart from
 * reading env files through {@link Variables}.
 */
public final class Expander {
  private final Variables variables;

  public Expander(Variables variables) {
    this.variables = variables;
  }

  public DesiredState expand(PlatformSpec spec, Selection selection) {
    var resources = new TreeMap<ResourceId, DesiredResource>();
    for (var project : spec.projects().values()) {
      // A server over SSH may have a front door of its own, listening elsewhere.
      var nginx = spec.platform().hosts().get(project.host()) instanceof HostSpec.Ssh ssh
          ? ssh.nginx().orElse(spec.platform().nginx())
          : spec.platform().nginx();
      for (var environment : project.environmentNames()) {
        if (selection.includes(project.name(), environment)) {
          var swarm =
              spec.platform().hosts().get(project.host()) instanceof HostSpec host && host.swarm();
          expandEnvironment(spec, project, environment, nginx, spec.platform().tls(), swarm)
              .forEach(r -> resources.put(r.id(), r));
        }
      }
    }
    return new DesiredState(resources, selection);
  }

  private List<DesiredResource> expandEnvironment(
      PlatformSpec spec,
      ProjectSpec project,
      String environment,
      NginxSettings nginx,
      TlsSettings tls,
      boolean swarm) {
    var out = new ArrayList<DesiredResource>();
    var containers = project.containersFor(environment);
    if (!swarm && named(spec, project, environment)) {
      // A swarm service runs on the overlay network the engine gives its stack.
      out.add(DesiredNetwork.of(ResourceId.network(project.name(), environment), project.host()));
    }
    var volumeNames = new TreeSet<String>();
    containers.values().forEach(c -> volumeNames.addAll(c.volumes().keySet()));
    var adopt = Optional.ofNullable(project.environments().get(environment))
        .map(EnvironmentOverride::adopt)
        .orElse(Adoption.NONE);
    for (var volume : volumeNames) {
      out.add(DesiredVolume.of(
          ResourceId.volume(project.name(), environment, volume),
          project.host(),
          Optional.ofNullable(adopt.volumes().get(volume))));
    }
    if (adopt.takesOverRunning()) {
      var writers = new TreeMap<String, List<String>>();
      adopt
          .volumes()
          .forEach((volume, from) -> writers.put(
              from,
              containers.values().stream()
                  .filter(c -> c.volumes().containsKey(volume))
                  .map(c -> c.name())
                  .toList()));
      out.add(DesiredAdoption.of(
          ResourceId.adoption(project.name(), environment), project.host(), adopt, writers));
    }
    var lookup = variables.lookupFor(project, environment);
    var routed = new ArrayList<ResourceId>();
    var routes = new ArrayList<Route>();
    for (var container : containers.values()) {
      var desired = container(
          project,
          environment,
          container,
          lookup,
          variables.secrets(),
          swarm
              ? Optional.empty()
              : Optional.of(networking(spec, project, environment, container)));
      // On a swarm host each container runs as a service of the engine's.
      DesiredResource resource = swarm ? DesiredService.of(desired) : desired;
      out.add(resource);
      if (container.isRouted()) {
        routed.add(resource.id());
        routes.addAll(routesOf(container));
      }
    }
    if (!routes.isEmpty()) {
      var domains = project.domainsOf(environment);
      var certificate = certificate(project, environment, domains, tls);
      certificate.ifPresent(out::add);
      var siteTls = certificate.map(c ->
          new SiteFingerprint.Tls(nginx.listenTls(), tls.hstsMaxAge().toSeconds(), hasChain(c)));
      var snippet = project
          .frontDoor()
          .snippet()
          .map(path -> new DesiredSite.Snippet(path, variables.readFile(path)));
      var proxies = new TreeMap<String, Proxy>();
      containers.values().stream()
          .filter(ContainerSpec::isRouted)
          .forEach(c -> proxies.put(c.name(), c.proxy()));
      var front = new SiteFingerprint.Front(
          proxies,
          project.frontDoor().effectiveHeaders(),
          snippet.map(DesiredSite.Snippet::digest));
      var fingerprint =
          new SiteFingerprint(domains, routes, listenOf(nginx), siteTls, Optional.of(front));
      var dependsOn = new ArrayList<>(routed);
      certificate.ifPresent(c -> dependsOn.add(c.id()));
      out.add(new DesiredSite(
          ResourceId.site(project.name(), environment),
          fingerprint,
          fingerprint.specHash(),
          dependsOn,
          snippet));
    }
    return out;
  }

  /** The environment's certificate, unless it is served over plain HTTP. */
  private Optional<DesiredCertificate> certificate(
      ProjectSpec project, String environment, List<String> domains, TlsSettings tls) {
    var id = ResourceId.certificate(project.name(), environment);
    return switch (project.tlsFor(environment, tls)) {
      case TlsChoice.Off off -> Optional.empty();
      case TlsChoice.Auto auto ->
        tls.acme()
            .map(a -> DesiredCertificate.of(
                id,
                project.host(),
                domains,
                new DesiredCertificate.Source.Acme(
                    a.directory(), a.email(), a.caBundle().map(variables::resolve)),
                tls.renewBefore()));
      case TlsChoice.Files files ->
        Optional.of(DesiredCertificate.of(
            id,
            project.host(),
            domains,
            new DesiredCertificate.Source.Files(
                variables.resolve(files.certificate()),
                variables.resolve(files.key()),
                variables.readFile(files.certificate()).map(SpecHash::sha256)),
            tls.renewBefore()));
    };
  }

  /**
   * Whether nginx can staple OCSP answers: only a certificate file that carries its chain says
   * whom to ask. Let's Encrypt ended OCSP in 2025, so certificates from a CA are served without.
   */
  private boolean hasChain(DesiredCertificate certificate) {
    return certificate.source() instanceof DesiredCertificate.Source.Files f
        && variables
            .readFile(f.certificate())
            .map(t -> t.split("-----BEGIN CERTIFICATE-----", -1).length > 2)
            .orElse(false);
  }

  /**
   * A container's names: its project environment's network, and the networks of the projects it is
   * shared with that have the same environment.
   */
  public static Networking networking(
      PlatformSpec platform, ProjectSpec project, String environment, ContainerSpec container) {
    var shared = container.sharedWith().stream()
        .filter(other -> platform.projects().containsKey(other)
            && platform.projects().get(other).environmentNames().contains(environment))
        .map(other -> ResourceId.network(other, environment))
        .toList();
    return new Networking(
        ResourceId.network(project.name(), environment),
        List.of(container.name(), project.name() + "-" + container.name() + "-" + environment),
        shared,
        platform.platform().networks(),
        named(platform, project, environment));
  }

  /**
   * Whether a project environment needs a network of names: when more than one container could
   * call a name, its own or another project's shared into it.
   */
  static boolean named(PlatformSpec platform, ProjectSpec project, String environment) {
    return project.containersFor(environment).size() > 1
        || platform.projects().values().stream()
            .filter(other -> !other.name().equals(project.name())
                && other.environmentNames().contains(environment))
            .anyMatch(other -> other.containersFor(environment).values().stream()
                .anyMatch(c -> c.sharedWith().contains(project.name())));
  }

  /**
   * One container of a project environment, for callers that have its spec from elsewhere (a
   * snapshot being rolled back to).
   *
   * @param networking its names, on a Docker host; empty on a swarm host
   */
  public static DesiredContainer container(
      ProjectSpec project,
      String environment,
      ContainerSpec spec,
      Function<String, Optional<String>> lookup,
      SecretDigest secrets,
      Optional<Networking> networking) {
    var id = ResourceId.container(project.name(), environment, spec.name());
    var env = new LinkedHashMap<String, String>();
    var secret = new HashSet<String>();
    var unresolved = new HashSet<String>();
    spec.env().forEach((name, value) -> {
      var isSecret = value.isSecretUnder(name);
      if (isSecret) {
        secret.add(name);
      }
      switch (Interpolation.resolve(value.template(), lookup)) {
        case Interpolation.Resolved.Value v ->
          env.put(name, isSecret ? secrets.of(id.toString(), name, v.text()) : v.text());
        case Interpolation.Resolved.Missing m -> {
          unresolved.add(name);
          env.put(name, value.template());
        }
      }
    });
    var fingerprint = new ContainerFingerprint(
        spec.image().toString(),
        spec.port(),
        env,
        secret,
        spec.volumes(),
        spec.command(),
        spec.resources(),
        networking.filter(Networking::named).map(Networking::network),
        networking.map(Networking::sharedNetworks).orElse(List.of()),
        spec.health().map(HealthCheck::command).orElse(List.of()),
        spec.stopGrace());
    var dependsOn = new ArrayList<ResourceId>();
    networking
        .filter(Networking::named)
        .ifPresent(n -> dependsOn.add(ResourceId.network(project.name(), environment)));
    spec.volumes().keySet().stream()
        .sorted()
        .forEach(v -> dependsOn.add(ResourceId.volume(project.name(), environment, v)));
    spec.dependsOn()
        .forEach(c -> dependsOn.add(ResourceId.container(project.name(), environment, c)));
    return new DesiredContainer(
        id,
        project.host(),
        spec,
        fingerprint,
        fingerprint.specHash(),
        unresolved,
        spec.update().isPresent(),
        dependsOn,
        networking);
  }

  private static List<Route> routesOf(ContainerSpec container) {
    if (container.servesRoot()) {
      return List.of(new Route("/", container.name()));
    }
    return container.apiLocations().stream()
        .map(l -> new Route(l, container.name()))
        .toList();
  }

  private static String listenOf(NginxSettings nginx) {
    return switch (nginx) {
      case NginxSettings.Managed m -> m.listenHost() + ":" + m.listenPort();
      case NginxSettings.System s -> s.listen().orElse("");
    };
  }
}
