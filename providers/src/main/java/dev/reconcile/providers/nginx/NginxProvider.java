package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The nginx front door's sites: files carrying the tool's header in the sites directory. */
public final class NginxProvider implements Provider {
  private final NginxSiteControl sites = new NginxSiteControl();

  @Override
  public String name() {
    return "nginx";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(ResourceKind.SITE);
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return target instanceof FrontDoor;
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) throws ProviderException {
    var door = (FrontDoor) request.target();
    var found = new ArrayList<ObservedResource>();
    var conflicts = new ArrayList<Conflict>();
    for (var file : confFiles(door)) {
      var read = read(door, file);
      if (read.isEmpty()) {
        continue; // deleted since the listing: not there
      }
      var text = read.get();
      var site = SiteFile.read(file.toString(), text);
      if (site.isPresent()) {
        found.add(site.get());
        continue;
      }
      request
          .desired()
          .all(DesiredSite.class)
          .filter(s -> SiteFile.fileName(s.id()).equals(file.getFileName().toString()))
          .forEach(s -> conflicts.add(new Conflict(
              door.host().name(),
              "file " + file,
              "the site's file name (it has no reconcile header, so it is never overwritten)",
              s.id())));
    }
    return new ObservedBatch(found, conflicts, List.of());
  }

  /**
   * Removes a site: its file goes, and nginx reloads so it no longer serves it (a managed nginx
   * that is not running is left stopped: nothing serves the site). Installing a site is the
   * switch step of a rollout: its upstreams are the slots the rollout started.
   */
  @Override
  public Outcome apply(ApplyRequest request) throws ProviderException {
    var change = request.change();
    if (!(request.target() instanceof FrontDoor door)) {
      throw request.notApplied(this, "its target is " + request.target().describe());
    }
    return switch (change.id().kind()) {
      case SITE ->
        switch (change.action()) {
          case DELETE -> {
            var outcome = sites.uninstall(door, change.id());
            if (outcome instanceof Outcome.Deleted
                && (door.nginx() instanceof NginxSettings.System
                    || sites.runningPid(door).isPresent())) {
              sites.reload(door);
            }
            yield outcome;
          }
          case NOOP -> new Outcome.Unchanged(change.id(), "site " + change.label());
          case CREATE, UPDATE, REPLACE ->
            throw request.notApplied(
                this,
                "installing a site is the switch step of a rollout (SiteControl), after its slots are healthy");
        };
      case CONTAINER, VOLUME, CERTIFICATE, SERVICE, NETWORK, ADOPTION ->
        throw request.notApplied(this, "it owns sites");
    };
  }

  /** Its sites (the front door's capability), for tests of that capability alone. */
  public SiteControl sites() {
    return sites;
  }

  /** The front door's sites, judged by {@code nginx -t}, switched live or by a reload. */
  @Override
  public List<Capability> capabilities() {
    return List.of(sites);
  }

  private static List<Path> confFiles(FrontDoor door) throws ProviderException {
    var dir = door.sitesDir();
    try {
      return door.host().list(dir).stream()
          .filter(n -> n.endsWith(".conf"))
          .map(dir::resolve)
          .toList();
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot list " + dir + ": " + e.getMessage(),
          "check that the directory is readable by this user",
          e);
    }
  }

  private static Optional<String> read(FrontDoor door, Path file) throws ProviderException {
    try {
      return door.host().read(file);
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot read " + file + ": " + e.getMessage(),
          "check the file's permissions",
          e);
    }
  }
}
