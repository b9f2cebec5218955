package dev.reconcile.provider;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.resource.ResourceId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the executor needs from the provider of the nginx front door: render a site, judge it
 * with {@code nginx -t} before it is installed, install it atomically, and reload.
 */
public interface SiteControl extends Capability {
  /** The verdict of {@code nginx -t}. */
  sealed interface Verdict {
    record Accepted() implements Verdict {}

    /** @param output what nginx said, for the user */
    record Rejected(String output) implements Verdict {}
  }

  /**
   * Every site answers this path with its revision, so the executor can tell when a reload took
   * effect: {@code nginx -s reload} and most reload commands return before new workers serve.
   */
  String REVISION_PATH = "/.well-known/reconcile/revision";

  boolean controls(NginxSettings nginx);

  /** Whether an installed site answers the CA's HTTP-01 challenges (older renderings do not). */
  boolean answersChallenges(FrontDoor door, String text);

  /** Whether a rendered site is served over HTTPS (its revision is asked there). */
  boolean overTls(String text);

  /** The revision a rendered site answers at {@link #REVISION_PATH}; empty when it has none. */
  Optional<String> revision(String text);

  /**
   * The hash of what the front door loads from a rendered site (for nginx, its body without the
   * header), as observation reports it in {@code ObservedSite.contentHash}: two texts that load
   * alike hash alike.
   */
  String contentHash(String text);

  /** The site's file for this front door (a site with TLS names its certificate file there). */
  String render(FrontDoor door, DesiredSite site, Map<String, String> upstreams);

  /**
   * A rendered site's text with its body changed by {@code change}, still a file this front door
   * recognises as its own: for nginx, the header's content hash follows the new body (else the
   * next plan reports the site as edited by hand). For plugins that add to what the built-in
   * front door renders.
   */
  default String rewrite(String text, UnaryOperator<String> change) {
    return change.apply(text);
  }

  /**
   * Tests a site's text first alone (a minimal config that includes only it), then with every
   * other installed site, without installing anything.
   */
  Verdict check(FrontDoor door, ResourceId site, String text) throws ProviderException;

  /**
   * Tests several sites' texts at once, with every other installed site, without installing
   * anything: for nginx one {@code nginx -t} instead of two per site. The default judges them one
   * by one with {@link #check} (which does not see them together).
   */
  default Verdict checkTogether(FrontDoor door, Map<ResourceId, String> sites)
      throws ProviderException {
    for (var site : sites.entrySet()) {
      if (check(door, site.getKey(), site.getValue()) instanceof Verdict.Rejected rejected) {
        return rejected;
      }
    }
    return new Verdict.Accepted();
  }

  /** The installed text of a site, if it is installed. */
  Optional<String> installed(FrontDoor door, ResourceId site) throws ProviderException;

  /** Writes the site file atomically (temp file, fsync, rename). */
  void install(FrontDoor door, ResourceId site, String text) throws ProviderException;

  Outcome uninstall(FrontDoor door, ResourceId site) throws ProviderException;

  /** Makes nginx serve what is installed: reloads it, starting the managed one if needed. */
  void reload(FrontDoor door) throws ProviderException;

  /** How a switch came to be served. */
  enum Switch {
    /** nginx reloaded: its old workers close their idle kept-alive client connections. */
    RELOADED,
    /** Only the routes changed, in the running nginx: no connection was closed. */
    ROUTED
  }

  /**
   * Makes nginx serve what is installed once these sites' files were installed. A front door
   * that routes live ({@link #switchesLive}) and has loaded everything else already (only the
   * sites' upstreams changed) sets their routes in the running nginx; otherwise it reloads.
   */
  default Switch serve(FrontDoor door, Collection<ResourceId> sites) throws ProviderException {
    reload(door);
    return Switch.RELOADED;
  }

  /**
   * Whether a change of upstreams alone is served without a reload here: the managed nginx with
   * the lua module. Everything else (a site's domains, locations, certificates) still reloads.
   */
  default boolean switchesLive(FrontDoor door) {
    return false;
  }

  /**
   * How many nginx workers from before the last reload still run, holding connections open
   * (WebSockets, streams, slow downloads) on the slots they were proxying to; 0 when it cannot
   * tell. They end when their connections do, or at nginx's worker_shutdown_timeout.
   */
  default int oldWorkers(FrontDoor door) {
    return 0;
  }

  /**
   * How many connections on the front door's host are open to these loopback ports: nginx's to
   * old slots after a switch (requests in flight, WebSockets, kept-alive ones until they idle
   * out); 0 when it cannot tell.
   */
  default int connectionsTo(FrontDoor door, Collection<Integer> ports) {
    return 0;
  }

  /**
   * Has nginx open its log files again, after the tool moved a full one aside: without a
   * restart of any worker where nginx allows it, by a reload otherwise.
   */
  default void reopenLogs(FrontDoor door) throws ProviderException {
    reload(door);
  }

  /** {@code nginx -t} of the configuration as installed now (pre-flight: it must be valid). */
  Verdict checkInstalled(FrontDoor door) throws ProviderException;

  /**
   * Workers of the managed nginx whose master is gone (killed with -9): they still hold the port
   * and answer with the configuration they had. The next reload ends them and starts a master.
   */
  default List<Long> orphanedWorkers(FrontDoor door) {
    return List.of();
  }

  /** Whether the managed nginx runs, and its pid; empty in system mode. */
  Optional<Long> runningPid(FrontDoor door);

  /** Stops the managed nginx gracefully; false when it was not running. */
  boolean stop(FrontDoor door) throws ProviderException;
}
