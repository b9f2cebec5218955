package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Networking;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.plan.Plan;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.providers.nginx.NginxProvider;
import dev.reconcile.providers.nginx.SiteFile;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans against a real Docker engine and real site files: arrange the world by hand, observe it
 * through the providers, and check the change and reason the plan gives.
 */
class PlanScenariosIT {
  private static final String V1 = "reconcile-test/web:v1";
  private static final String V2 = "reconcile-test/web:v2";

  @TempDir
  Path sites;

  private final String project =
      "rt" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listenPort = dev.reconcile.testing.TestPorts.reserve();
  private final DockerHost host =
      DockerHost.connect("local", HostSpec.Docker.DEFAULT_ENDPOINT, t -> t);
  private final String owner = "test-owner-" + project;
  private final HandMade hand = new HandMade(host, owner);
  private final DockerProvider docker = new DockerProvider();
  private final List<String> extras = new ArrayList<>();

  @BeforeEach
  void nothingLeftFromBefore() {
    hand.cleanUp(project, List.of());
  }

  @AfterEach
  void cleanUp() {
    hand.cleanUp(project, extras);
    docker.close();
    host.close();
  }

  private String spec(String greeting) {
    return """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: %s
                port: 8080
                env: { GREETING: %s, API_TOKEN: not-for-your-eyes-%s }
              api:
                image: %s
                port: 8080
                api_locations: [/api]
        """.formatted(listenPort, project, project, V1, greeting, greeting, V1);
  }

  private DesiredState desired(String greeting) {
    var validated =
        SpecValidator.standard().validate(spec(greeting).getBytes(StandardCharsets.UTF_8), "p.yml");
    assertThat(validated.diagnostics().hasErrors())
        .as(validated.diagnostics().toString())
        .isFalse();
    return new Expander((p, e) -> n -> Optional.empty())
        .expand(validated.spec().orElseThrow(), new Selection(Set.of(project), Set.of()));
  }

  private Plan plan(DesiredState desired) throws Exception {
    var found = new ArrayList<ObservedResource>();
    var conflicts = new ArrayList<Conflict>();
    var tags = new ArrayList<ImageTag>();
    for (var target : List.of(
        new ObserveTarget.DockerHost(
            new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT),
            Optional.of(listenPort),
            owner),
        new FrontDoor(
            new LocalHost("local"), NginxSettings.Managed.DEFAULT, sites.getParent(), sites))) {
      var provider = target instanceof FrontDoor ? new NginxProvider() : docker;
      var batch = provider.observe(new ObserveRequest(target, desired));
      found.addAll(batch.resources());
      conflicts.addAll(batch.conflicts());
      tags.addAll(batch.tags());
    }
    return Differ.diff(desired, ObservedState.of(found, conflicts, tags), DiffOptions.DEFAULT);
  }

  /** Starts every container as declared and writes the site: the world matches the spec. */
  private Map<String, Integer> deployByHand(DesiredState desired) throws Exception {
    var ports = new LinkedHashMap<String, Integer>();
    desired
        .all(DesiredContainer.class)
        .forEach(c -> ports.put(
            c.id().name().orElseThrow(),
            hand.start(c, "blue", c.fingerprint().image(), Map.of("GREETING", "hi"))));
    writeSite(desired, ports);
    return ports;
  }

  private void writeSite(DesiredState desired, Map<String, Integer> ports) throws Exception {
    var site = desired.all(DesiredSite.class).findFirst().orElseThrow();
    var upstreams = new LinkedHashMap<String, String>();
    ports.forEach((component, port) -> upstreams.put(component, "127.0.0.1:" + port));
    Files.writeString(
        sites.resolve(SiteFile.fileName(site.id())), SiteFile.render(site, upstreams));
  }

  private ResourceId container(String name) {
    return ResourceId.container(project, "production", name);
  }

  private static Change changeOf(Plan plan, ResourceId id) {
    return plan.changes().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void plan_emptyHost_createsEverything() throws Exception {
    var plan = plan(desired("hi"));

    assertThat(plan.changes()).extracting(Change::action).containsOnly(Action.CREATE);
    assertThat(plan.changes())
        .extracting(c -> c.id().toString())
        .containsExactlyInAnyOrder(
            "network:" + project + "/production", "container:" + project + "/production/web",
            "container:" + project + "/production/api", "site:" + project + "/production");
  }

  @Test
  void plan_afterDeployingByHand_changesNothing() throws Exception {
    var desired = desired("hi");
    deployByHand(desired);

    var plan = plan(desired);

    assertThat(plan.hasChanges()).as(plan.changes().toString()).isFalse();
    assertThat(plan.problems()).isEmpty();
  }

  @Test
  void anEgressNetworkOfItsOwnFromBefore_goesOnceNoContainerIsOnIt_andOneInUseStays()
      throws Exception {
    var desired = desired("hi");
    var ports = deployByHand(desired);
    var network = ResourceId.network(project, "production");
    var legacy = hand.legacyEgress(project, "production");
    // One container still on it: the network stays, and the plan says nothing of it.
    host.client()
        .connectToNetworkCmd()
        .withNetworkId(legacy)
        .withContainerId(project + "-web-production-blue")
        .exec();
    assertThat(changeOf(plan(desired), network).action()).isEqualTo(Action.NOOP);
    host.client()
        .disconnectFromNetworkCmd()
        .withNetworkId(legacy)
        .withContainerId(project + "-web-production-blue")
        .exec();

    var change = changeOf(plan(desired), network);
    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons())
        .extracting(Object::toString)
        .containsExactly("network " + legacy + " is left from before the host's "
            + Networking.EGRESS + " and no container is on it: removed");
    var request = new dev.reconcile.provider.ApplyRequest(
        new ObserveTarget.DockerHost(
            new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT),
            Optional.of(listenPort),
            owner),
        change,
        change.declared(),
        change.found(),
        owner);
    // A container joins it between the plan and the apply: the apply keeps it, and says why.
    host.client()
        .connectToNetworkCmd()
        .withNetworkId(legacy)
        .withContainerId(project + "-web-production-blue")
        .exec();
    assertThat(docker.apply(request).describe())
        .isEqualTo("network " + legacy + " kept: 1 container(s) joined it since the plan");
    host.client()
        .disconnectFromNetworkCmd()
        .withNetworkId(legacy)
        .withContainerId(project + "-web-production-blue")
        .exec();

    var outcome = docker.apply(request);

    assertThat(outcome.describe())
        .isEqualTo("removed network " + legacy + ", which no container used");
    assertThat(host.client().listNetworksCmd().withNameFilter(legacy).exec())
        .noneMatch(n -> n.getName().equals(legacy));
    assertThat(changeOf(plan(desired), network).action()).isEqualTo(Action.NOOP);
    assertThat(ports).containsKeys("web", "api");
  }

  @Test
  void plan_containerRemovedByHand_createsItAndSwitchesTheSite() throws Exception {
    var desired = desired("hi");
    deployByHand(desired);
    hand.remove(project + "-api-production-blue");

    var plan = plan(desired);

    assertThat(changeOf(plan, container("api")).action()).isEqualTo(Action.CREATE);
    assertThat(changeOf(plan, ResourceId.site(project, "production")).reasons())
        .extracting(Object::toString)
        .containsExactly("upstream api switches to the new container at a reload of nginx");
  }

  @Test
  void plan_imageChangedByHand_replacesWithTheReason() throws Exception {
    var desired = desired("hi");
    var ports = deployByHand(desired);
    hand.remove(project + "-web-production-blue");
    var web = (DesiredContainer) desired.get(container("web")).orElseThrow();
    ports.put("web", hand.start(web, "blue", V2, Map.of("GREETING", "hi")));
    writeSite(desired, ports);

    var change = changeOf(plan(desired), container("web"));

    assertThat(change.action()).isEqualTo(Action.REPLACE);
    assertThat(change.reasons())
        .extracting(Object::toString)
        .containsExactly("runs image " + V2 + ", declared " + V1 + " (changed outside reconcile)");
  }

  @Test
  void plan_envValueChanged_replacesNamingTheVariable() throws Exception {
    deployByHand(desired("hi"));

    var plan = plan(desired("hello"));

    var change = changeOf(plan, container("web"));
    assertThat(change.action()).isEqualTo(Action.REPLACE);
    assertThat(change.reasons())
        .extracting(Object::toString)
        .containsExactly("env API_TOKEN changed (value hidden)", "env GREETING hi -> hello");
    assertThat(changeOf(plan, container("api")).action()).isEqualTo(Action.NOOP);
  }

  @Test
  void aContainerFromBeforeNetworks_movesToTheEgressNetworkInPlace_withoutARestart_andThenIsInSync()
      throws Exception {
    var desired = desiredWithWorker();
    var worker = (DesiredContainer) desired.get(container("worker")).orElseThrow();
    var id = hand.startBeforeNetworks(worker, "blue");
    var startedAt = host.client().inspectContainerCmd(id).exec().getState().getStartedAt();

    var change = changeOf(plan(desired), container("worker"));
    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons())
        .extracting(Object::toString)
        .containsExactly(
            "moves from Docker's default bridge, where other containers reach it, to the host's "
                + Networking.EGRESS + " in place, without a restart");

    docker
        .containers()
        .joinInPlace(
            new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT),
            id,
            worker.networking().orElseThrow(),
            owner);

    var after = host.client().inspectContainerCmd(id).exec();
    assertThat(after.getState().getStartedAt()).as("not restarted").isEqualTo(startedAt);
    assertThat(after.getNetworkSettings().getNetworks())
        .as("alone in its environment: no network of names")
        .containsOnlyKeys(Networking.EGRESS);
    assertThat(changeOf(plan(desired), container("worker")).action()).isEqualTo(Action.NOOP);
  }

  private DesiredState desiredWithWorker() {
    var spec = """
        version: 1
        projects:
          %1$s:
            domains: { production: %1$s.test }
            containers:
              worker: { image: "%2$s", command: [sleep, "600"] }
        """.formatted(project, V1);
    var validated =
        SpecValidator.standard().validate(spec.getBytes(StandardCharsets.UTF_8), "p.yml");
    return new Expander((p, e) -> n -> Optional.empty())
        .expand(validated.spec().orElseThrow(), new Selection(Set.of(project), Set.of()));
  }

  @Test
  void plan_unmanagedContainerOnTheListenPort_isAConflict() throws Exception {
    var blocker = project + "-blocker";
    extras.add(blocker);
    hand.startUnmanaged(blocker, V1, listenPort);

    var plan = plan(desired("hi"));

    assertThat(plan.problems()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(ResourceId.site(project, "production"));
      assertThat(p.message()).contains("container " + blocker, "port " + listenPort);
    });
  }

  @Test
  void plan_unmanagedContainerWithTheNameTheToolNeeds_isAConflict() throws Exception {
    var name = project + "-web-production-green";
    extras.add(name);
    hand.startUnmanaged(name, V1, 0);

    var plan = plan(desired("hi"));

    assertThat(plan.problems()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(container("web"));
      assertThat(p.message()).contains("the name " + name);
    });
  }

  @Test
  void plan_volumeNameHeldByAVolumeNotOurs_isAConflictAndApplyWouldRefuseIt() throws Exception {
    var name = project + "-production-data";
    host.client().createVolumeCmd().withName(name).exec();
    try {
      var validated = SpecValidator.standard()
          .validate("""
          version: 1
          projects:
            %s:
              domains: { production: %s.test }
              containers:
                db: { image: "%s", volumes: { data: /data } }
          """.formatted(project, project, V1).getBytes(StandardCharsets.UTF_8), "p.yml");
      var desired = new Expander((p, e) -> n -> Optional.empty())
          .expand(validated.spec().orElseThrow(), new Selection(Set.of(project), Set.of()));
      var volume = ResourceId.volume(project, "production", "data");

      var plan = plan(desired);

      assertThat(plan.problems()).singleElement().satisfies(p -> {
        assertThat(p.id()).isEqualTo(volume);
        assertThat(p.message()).contains("volume " + name + " (not made by reconcile)");
      });
      var local = new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT);
      var create = new dev.reconcile.plan.Change(
          volume,
          dev.reconcile.plan.Action.CREATE,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          dev.reconcile.plan.TrafficImpact.NONE,
          List.of());
      assertThatThrownBy(() -> docker.apply(new dev.reconcile.provider.ApplyRequest(
              new ObserveTarget.DockerHost(local, Optional.empty(), owner),
              create,
              Optional.empty(),
              Optional.empty(),
              owner)))
          .isInstanceOf(ProviderException.Terminal.class)
          .hasMessageContaining("not made by reconcile");
    } finally {
      host.client().removeVolumeCmd(name).exec();
    }
  }

  @Test
  void plan_siteEditedByHand_updatesIt() throws Exception {
    var desired = desired("hi");
    deployByHand(desired);
    var file = sites.resolve(project + ".production.conf");
    Files.writeString(
        file, Files.readString(file).replace("proxy_read_timeout 60s;", "proxy_read_timeout 1s;"));

    var change = changeOf(plan(desired), ResourceId.site(project, "production"));

    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons()).singleElement().asString().startsWith("edited outside reconcile");
  }

  @Test
  void plan_containersOfAnotherStateDirectory_areNeitherObservedNorDeletedButConflictOnNames()
      throws Exception {
    var desired = desired("hi");
    var other = new HandMade(host, "another-owner-" + project);
    other.start(
        (DesiredContainer) desired.get(container("web")).orElseThrow(), "blue", V1, Map.of());

    var plan = plan(desired);

    assertThat(changeOf(plan, container("web")).action()).isEqualTo(Action.CREATE);
    assertThat(plan.changes()).noneMatch(c -> c.action() == Action.DELETE);
    // Its container holds a name the tool needs, and so does the network of names it made for it
    // (the host's egress network is everyone's).
    assertThat(plan.problems())
        .extracting(p -> p.message().replaceAll(" \\(.*?\\) ", " "))
        .containsExactlyInAnyOrder(
            "container " + project + "-web-production-blue on host local holds the name " + project
                + "-web-production-blue",
            "network " + project + "-production on host local holds the name " + project
                + "-production");
  }

  @Test
  void plan_secretValues_neverAppearInObservedStateOrPlan() throws Exception {
    var desired = desired("hi");
    deployByHand(desired);

    var plan = plan(desired("changed"));

    assertThat(changeOf(plan, container("web")).reasons())
        .extracting(Object::toString)
        .contains("env API_TOKEN changed (value hidden)");
    assertThat(plan.toString()).doesNotContain("not-for-your-eyes");
    var labels = host.client()
        .listContainersCmd()
        .withLabelFilter(Map.of(Labels.PROJECT, project))
        .exec()
        .toString();
    assertThat(labels).contains("API_TOKEN").doesNotContain("not-for-your-eyes");
  }
}
