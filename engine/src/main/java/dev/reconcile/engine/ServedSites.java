package dev.reconcile.engine;

import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.Serving;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.RevisionAnswer;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Asks nginx what it serves for each site file found: whether it runs at all (the managed one, by
 * its master process), and which revision and upstreams each site answers at {@link
 * SiteControl#REVISION_PATH}. One small GET per site, on loopback, a few at once.
 */
final class ServedSites {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** How many sites are asked at once. */
  private static final int PARALLEL = 8;

  /**
   * How long a site that answers with another revision than its installed file's is asked again:
   * nginx may be mid-reload (an apply killed right after its reload, or another process's), and
   * its new workers answer within moments. Judged on the old workers' answer, the slot the new
   * file routes to looked left over, and the next apply removed what nginx was switching to.
   */
  private static final Duration SETTLING = Duration.ofSeconds(2);

  private ServedSites() {}

  static Map<ResourceId, ObservedSite> ask(
      FrontDoor door, SiteControl sites, List<ObservedSite> found) {
    var out = new HashMap<ResourceId, ObservedSite>();
    var managedDown =
        door.nginx() instanceof NginxSettings.Managed && sites.runningPid(door).isEmpty();
    var orphans = managedDown ? sites.orphanedWorkers(door) : List.<Long>of();
    var down = orphans.isEmpty()
        ? "nginx is not running"
        : "nginx's master is gone; " + orphans.size()
            + " orphaned worker(s) of it (pid "
            + orphans.stream().map(String::valueOf).collect(Collectors.joining(", "))
            + ") still answer with the configuration it had; "
            + "the next apply ends them and starts nginx";
    var plain = reach(door, door.nginx().probeAddress());
    // Asked only when a site is served over HTTPS.
    var secure = found.stream().anyMatch(ServedSites::overTls)
        ? reach(door, door.nginx().tlsProbeAddress())
        : plain;
    // One wait for all the sites: a reload loads them all at once.
    var settledBy = System.nanoTime() + SETTLING.toNanos();
    var asked = new ArrayList<Map.Entry<ObservedSite, Future<Serving>>>();
    // A few asked at once: a fleet's hundred sites in a fraction of the time one by one, without
    // a hundred connections to nginx. Platform threads (see ObservedStateCollector).
    try (var pool = Executors.newFixedThreadPool(
        Math.max(1, Math.min(PARALLEL, found.size())),
        Thread.ofPlatform().daemon().name("served-sites-", 0).factory())) {
      for (var site : found) {
        var at = overTls(site) ? secure : plain;
        var address = at.address();
        asked.add(Map.entry(
            site,
            managedDown
                ? CompletableFuture.completedFuture(new Serving.Down(down))
                : address == null
                    ? CompletableFuture.completedFuture(new Serving.Down(at.unreachable()))
                    : pool.submit(() -> serving(site, address, settledBy))));
      }
      for (var entry : asked) {
        out.put(entry.getKey().id(), entry.getKey().withServing(answer(entry.getValue())));
      }
    }
    return out;
  }

  private static Serving answer(Future<Serving> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Serving.UNKNOWN;
    } catch (ExecutionException e) {
      return new Serving.NotServed("asking nginx failed: " + e.getCause());
    }
  }

  private record Reached(@Nullable InetSocketAddress address, String unreachable) {}

  private static Reached reach(FrontDoor door, NginxSettings.Address listen) {
    try {
      return new Reached(door.host().reach(listen.host(), listen.port()), "");
    } catch (IOException e) {
      return new Reached(
          null,
          "cannot reach " + listen.host() + ":" + listen.port() + " on host "
              + door.host().name() + ": " + e.getMessage());
    }
  }

  private static boolean overTls(ObservedSite site) {
    return site.recorded().flatMap(SiteFingerprint::tls).isPresent();
  }

  private static Serving serving(ObservedSite site, InetSocketAddress at, long settledBy) {
    var domain = site.recorded().flatMap(f -> f.domains().stream().findFirst());
    if (site.revision().isEmpty() || domain.isEmpty()) {
      return Serving.UNKNOWN;
    }
    while (true) {
      var serving = servingOnce(domain.get(), at, overTls(site));
      // Once the installed revision answers, the file is loaded: old workers only finish up.
      if (!(serving instanceof Serving.Serves served)
          || served.revision().equals(site.revision().get())
          || System.nanoTime() > settledBy) {
        return serving;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return serving;
      }
    }
  }

  private static Serving servingOnce(String domain, InetSocketAddress at, boolean tls) {
    // Over HTTPS the certificate is not judged here: observation asks which revision is served.
    var answer = HttpProbe.get(
        at.getHostString(),
        at.getPort(),
        SiteControl.REVISION_PATH,
        domain,
        TIMEOUT,
        tls ? Optional.of(new HttpProbe.Tls(domain, Optional.empty())) : Optional.empty());
    if (!answer.answered()) {
      return new Serving.Down("nothing answers at " + at.getHostString() + ":" + at.getPort() + " ("
          + answer.describe() + ")");
    }
    var parsed = answer.status() == 200
        ? RevisionAnswer.parse(answer.body())
        : Optional.<RevisionAnswer>empty();
    return parsed
        .<Serving>map(a -> new Serving.Serves(a.revision(), a.upstreams()))
        .orElseGet(() -> new Serving.NotServed(
            "GET " + SiteControl.REVISION_PATH + " for " + domain + " gave " + answer.describe()));
  }
}
