package dev.reconcile.rollback;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.desired.DesiredNetwork;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Networking;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.desired.Variables;
import dev.reconcile.history.ContainerSpecJson;
import dev.reconcile.history.Snapshot;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.model.ImageRef;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Rebuilds the desired state of one environment from a snapshot. */
public final class SnapshotState {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotState() {}

  /** Why a snapshot cannot be rolled back to, in words for the user. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /** Where an image reference points on a host now, if the host has it. */
  @FunctionalInterface
  public interface Images {
    Optional<String> idOf(String host, String reference);

    /**
     * Assumes no tag moved: every container keeps its reference. Used to learn, by observing,
     * where those references point now.
     */
    Images REFERENCES = (host, reference) -> Optional.empty();
  }

  /** Builds a desired state from snapshots with a given view of the images. */
  @FunctionalInterface
  public interface Build {
    DesiredState with(Images images) throws Refused, IOException;
  }

  /**
   * The snapshot's state. A container keeps its image reference while that still points to the
   * snapshot's image (so an unchanged container stays as it is); where the tag moved, it is
   * pinned by image id.
   */
  public static DesiredState of(
      Snapshot snapshot, PlatformSpec spec, Variables variables, Images images) throws Refused {
    var project = spec.projects().get(snapshot.project());
    if (project == null) {
      throw new Refused("project " + snapshot.project() + " is no longer declared in projects.yml");
    }
    var lookup = variables.lookupFor(project, snapshot.environment());
    var resources = new TreeMap<ResourceId, DesiredResource>();
    var routed = new ArrayList<ResourceId>();
    for (var c : snapshot.containers()) {
      var text = c.spec()
          .orElseThrow(() -> new Refused("snapshot #" + snapshot.serial() + " does not record how "
              + c.component() + " was declared (made by an older version)"));
      var read = ContainerSpecJson.read(c.component(), text);
      var declared = withHiddenEnv(read, project, snapshot, variables);
      var unmoved = images == Images.REFERENCES
          || images
              .idOf(project.host(), declared.image().toString())
              .filter(id -> id.equals(c.imageId()))
              .isPresent();
      var byId = unmoved ? declared : declared.withImage(ImageRef.of(c.imageId()));
      var container = Expander.container(
          project,
          snapshot.environment(),
          byId,
          lookup,
          variables.secrets(),
          Optional.of(Expander.networking(spec, project, snapshot.environment(), byId)));
      // A service is put back by its declaration: the engine resolves the image again.
      DesiredResource resource = c.slot().equals(Snapshot.SERVICE_SLOT)
          ? DesiredService.of(Expander.container(
              project,
              snapshot.environment(),
              declared,
              lookup,
              variables.secrets(),
              Optional.empty()))
          : container;
      if (!c.slot().equals(Snapshot.SERVICE_SLOT)
          && container.networking().filter(Networking::named).isPresent()) {
        var network = ResourceId.network(snapshot.project(), snapshot.environment());
        resources.put(network, DesiredNetwork.of(network, project.host()));
      }
      resources.put(resource.id(), resource);
      if (byId.isRouted()) {
        routed.add(resource.id());
      }
      for (var volume : byId.volumes().keySet()) {
        var id = ResourceId.volume(snapshot.project(), snapshot.environment(), volume);
        resources.put(id, DesiredVolume.of(id, project.host()));
      }
    }
    if (snapshot.site().isPresent()) {
      var fingerprint = snapshot
          .site()
          .get()
          .spec()
          .flatMap(SnapshotState::site)
          .orElseThrow(() ->
              new Refused("snapshot #" + snapshot.serial() + " does not record its site's routes"));
      var id = ResourceId.site(snapshot.project(), snapshot.environment());
      var dependsOn = new ArrayList<>(routed);
      // Certificates are never rolled back or removed by a heal (an older one is no more valid,
      // and ordering again costs the CA's limits): the one projects.yml declares now is kept, and
      // a site with TLS is served with it.
      var certificate = ResourceId.certificate(snapshot.project(), snapshot.environment());
      var declared = new Expander(variables)
          .expand(spec, new Selection(Set.of(snapshot.project()), Set.of(snapshot.environment())))
          .get(certificate);
      declared.ifPresent(c -> resources.put(certificate, c));
      if (fingerprint.tls().isPresent() && declared.isPresent()) {
        dependsOn.add(certificate);
      }
      // The snippet is the project's as declared now: a snapshot records only its hash.
      var snippet = project
          .frontDoor()
          .snippet()
          .map(path -> new DesiredSite.Snippet(path, variables.readFile(path)));
      resources.put(
          id, new DesiredSite(id, fingerprint, fingerprint.specHash(), dependsOn, snippet));
    }
    return new DesiredState(
        resources, new Selection(Set.of(snapshot.project()), Set.of(snapshot.environment())));
  }

  /**
   * Puts back the literal secrets a snapshot did not store, from projects.yml, as long as each is
   * still the value the snapshot ran with (its keyed digest matches).
   */
  private static ContainerSpec withHiddenEnv(
      ContainerSpecJson.Read read, ProjectSpec project, Snapshot snapshot, Variables variables)
      throws Refused {
    if (read.hiddenEnv().isEmpty()) {
      return read.spec();
    }
    var spec = read.spec();
    var where = ResourceId.container(snapshot.project(), snapshot.environment(), spec.name())
        .toString();
    var now = Optional.ofNullable(project.containersFor(snapshot.environment()).get(spec.name()));
    var env = new LinkedHashMap<>(spec.env());
    for (var hidden : read.hiddenEnv().entrySet()) {
      var current = now.map(c -> c.env().get(hidden.getKey()))
          .filter(v -> variables
              .secrets()
              .of(where, hidden.getKey(), v.template())
              .equals(hidden.getValue()));
      if (current.isEmpty()) {
        throw new Refused(
            "snapshot #" + snapshot.serial() + " ran " + spec.name() + " with a value of "
                + hidden.getKey()
                + " written in projects.yml, which is not stored (secrets never are) and "
                + "has changed since; put the old value back in projects.yml, or use ${VAR}");
      }
      env.put(hidden.getKey(), current.get());
    }
    return spec.withEnv(env);
  }

  private static Optional<SiteFingerprint> site(String json) {
    try {
      return SiteFingerprint.fromJson(JSON.readTree(json));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
