package dev.reconcile.execute;

import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * The site switches of one front door, done in batches (group commit): each environment queues
 * its site, then takes the door's lock; whoever holds it judges every site queued by then on its
 * own ({@code nginx -t} with that site), installs those nginx accepts, and reloads once for all of
 * them. A site nginx refuses fails its own environment only. So ten environments that reach
 * their switch together cost one or two reloads, not ten, and the later ones do not wait for
 * the earlier ones' reloads one by one.
 */
final class SiteSwitches {
  /** The queue of each front door in this process, by its host and state folder. */
  private static final Map<String, ConcurrentLinkedQueue<Request>> QUEUES =
      new ConcurrentHashMap<>();

  /** How a queued switch ended. */
  sealed interface Result {
    /**
     * Installed and served: {@code sites}, how many that one reload (or push of routes) switched;
     * {@code reloaded}, whether nginx reloaded or only its routes changed.
     */
    record Switched(int sites, boolean reloaded) implements Result {}

    /** nginx -t refused the site: nothing of it was installed. */
    record Rejected(String output) implements Result {}

    /** @param installed whether the site file was installed before it failed (a rollback must put back the old) */
    record Failed(Exception cause, boolean installed) implements Result {}
  }

  private record Request(ResourceId site, String text, CompletableFuture<Result> done) {}

  private final FrontDoor door;
  private final FileLock lock;
  private final SiteControl sites;
  private final RetryPolicy retry;
  private final ConcurrentLinkedQueue<Request> queue;

  SiteSwitches(FrontDoor door, FileLock lock, SiteControl sites, RetryPolicy retry) {
    this.door = door;
    this.lock = lock;
    this.sites = sites;
    this.retry = retry;
    this.queue = QUEUES.computeIfAbsent(
        door.host().name() + "|" + door.stateDir(), k -> new ConcurrentLinkedQueue<>());
  }

  /** Queues the site and waits until a batch (this thread's or another's) has switched it. */
  Result switchTo(ResourceId site, String text) throws InterruptedException {
    return await(queue(site, text));
  }

  /**
   * Queues the site without switching it yet: the next batch of this front door (this thread's
   * {@link #await}, or another's) takes it. Environments that switch together queue first, then
   * wait for each other, so that one batch takes all of their sites.
   */
  Queued queue(ResourceId site, String text) {
    var request = new Request(site, text, new CompletableFuture<>());
    queue.add(request);
    return new Queued(request);
  }

  /** A queued switch; {@link #await} it, or {@link #withdraw} it. */
  static final class Queued {
    private final Request request;

    private Queued(Request request) {
      this.request = request;
    }
  }

  /** Takes it back if no batch has taken it yet; false when one has (its result then stands). */
  boolean withdraw(Queued queued) {
    return queue.remove(queued.request);
  }

  /** Waits until a batch (this thread's or another's) has switched a queued site. */
  Result await(Queued queued) throws InterruptedException {
    var request = queued.request;
    try (var held = lock.hold()) {
      if (!request.done().isDone()) {
        runBatch();
      }
    } catch (RuntimeException e) {
      // The lock could not be taken: no later batch may install a site whose rollout failed.
      if (queue.remove(request)) {
        return new Result.Failed(e, false);
      }
      throw e;
    }
    try {
      return request.done().get();
    } catch (ExecutionException e) {
      return new Result.Failed(
          e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause()), true);
    }
  }

  /**
   * With the lock held: every queued site judged, the accepted installed, one reload. Sites are
   * judged all together first (one nginx -t); only when that fails is each judged on its own,
   * and the ones accepted together again, one at a time, so that a bad site, or one that clashes
   * with another, is left out and reported while the others go on.
   */
  private void runBatch() throws InterruptedException {
    var batch = new ArrayList<Request>();
    for (Request r; (r = queue.poll()) != null; ) {
      batch.add(r);
    }
    var accepted = batch.size() > 1 && acceptedTogether(batch) ? batch : judgedOneByOne(batch);
    CrashPoints.reached("site-checked");
    var installed = new ArrayList<Request>();
    for (var request : accepted) {
      try {
        sites.install(door, request.site(), request.text());
        installed.add(request);
      } catch (ProviderException e) {
        // Installed atomically or not at all; the rollback may still put the old text back.
        request.done().complete(new Result.Failed(e, true));
      }
    }
    if (installed.isEmpty()) {
      return;
    }
    CrashPoints.reached("site-installed");
    SiteControl.Switch how;
    try {
      how = retry.call(
          () -> sites.serve(door, installed.stream().map(Request::site).toList()));
    } catch (ProviderException e) {
      installed.forEach(r -> r.done().complete(new Result.Failed(e, true)));
      return;
    }
    CrashPoints.reached(
        switch (how) {
          case RELOADED -> "reloaded";
          case ROUTED -> "routing-changed";
        });
    installed.forEach(r -> r.done()
        .complete(new Result.Switched(installed.size(), how == SiteControl.Switch.RELOADED)));
  }

  private boolean acceptedTogether(List<Request> requests) {
    try {
      return sites.checkTogether(door, texts(requests)) instanceof SiteControl.Verdict.Accepted;
    } catch (ProviderException e) {
      return false; // judged one by one, where the fault lands on the site it concerns
    }
  }

  private List<Request> judgedOneByOne(List<Request> batch) {
    var alone = new ArrayList<Request>();
    for (var request : batch) {
      try {
        if (sites.check(door, request.site(), request.text())
            instanceof SiteControl.Verdict.Rejected r) {
          request.done().complete(new Result.Rejected(r.output()));
        } else {
          alone.add(request);
        }
      } catch (ProviderException e) {
        request.done().complete(new Result.Failed(e, false));
      }
    }
    if (alone.size() < 2 || acceptedTogether(alone)) {
      return alone;
    }
    // Each passes on its own but not all together: keep each one that still passes with those kept.
    var kept = new ArrayList<Request>();
    for (var request : alone) {
      var trial = new ArrayList<>(kept);
      trial.add(request);
      try {
        if (sites.checkTogether(door, texts(trial)) instanceof SiteControl.Verdict.Rejected r) {
          request
              .done()
              .complete(new Result.Rejected(
                  "with the other sites switched by this apply: " + r.output()));
        } else {
          kept.add(request);
        }
      } catch (ProviderException e) {
        request.done().complete(new Result.Failed(e, false));
      }
    }
    return kept;
  }

  private static Map<ResourceId, String> texts(List<Request> requests) {
    var out = new LinkedHashMap<ResourceId, String>();
    requests.forEach(r -> out.put(r.site(), r.text()));
    return out;
  }

  /** For tests: how many switches wait in this door's queue. */
  int queued() {
    return queue.size();
  }
}
