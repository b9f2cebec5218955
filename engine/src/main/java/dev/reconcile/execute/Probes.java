package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.SmokeCheck;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.RevisionAnswer;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Certificates;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;

/** Health waits and smoke checks, at a slot's own port or through nginx. */
final class Probes {
  /** How long every answer must come from the new configuration before traffic counts as moved. */
  static final Duration SETTLED = Duration.ofMillis(300);

  /** How long to see the new revision after a switch: {@link #SETTLED} after a reload, else none. */
  static Duration settle(SiteSwitches.Result.Switched switched) {
    return switched.reloaded() ? SETTLED : Duration.ZERO;
  }

  private final ContainerRuntime runtime;
  private final ExecutionListener listener;
  private final RetryPolicy retry;
  private final Waits waits;

  Probes(ContainerRuntime runtime, ExecutionListener listener, RetryPolicy retry, Waits waits) {
    this.runtime = runtime;
    this.listener = listener;
    this.retry = retry;
    this.waits = waits;
  }

  /** The first wait between two looks at a new slot's health; each next one twice as long, up to the interval. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(100);

  /**
   * Waits until the slot is healthy: its HTTP health path answers 2xx, or else Docker's health
   * check says healthy, or else (no check at all) it runs and, if routed, accepts connections.
   */
  void awaitHealthy(
      HostSpec host, DesiredContainer container, RunningSlot slot, Optional<InetSocketAddress> at)
      throws StepFailed, ProviderException, InterruptedException {
    var check = container.spec().health().orElse(HealthCheck.DEFAULT);
    var limit = check.window();
    var started = waits.nanoTime();
    var last = "";
    // Looked at soon, then less often: an app ready in 0.3 s is not kept waiting a whole interval.
    var pause = FIRST_PAUSE;
    while (true) {
      var state = retry.call(() -> runtime.health(host, slot.containerId()));
      if (state.equals("exited")
          || state.equals("dead")
          || state.equals("unhealthy")
          || state.equals("restarting")) {
        throw new StepFailed(
            container.id(),
            "health",
            slot.name() + " is " + state + " (see: docker logs " + slot.name() + ")");
      }
      var verdict = probe(check, state, at);
      if (verdict.isEmpty()) {
        listener.step(container.id(), "healthy after " + seconds(waits.nanoTime() - started));
        return;
      }
      last = verdict.get();
      listener.progress(
          container.id(),
          "waiting for health (" + seconds(waits.nanoTime() - started) + " / " + limit.toSeconds()
              + " s): " + last);
      if (waits.nanoTime() - started >= limit.toNanos()) {
        break;
      }
      var next = pause.compareTo(check.interval()) < 0 ? pause : check.interval();
      waits.sleep(container.id(), next);
      pause = pause.multipliedBy(2);
    }
    throw new StepFailed(
        container.id(),
        "health",
        slot.name() + " did not become healthy within " + limit.toSeconds() + " s; last: " + last);
  }

  /** Empty when healthy, else what is wrong. */
  private static Optional<String> probe(
      HealthCheck check, String state, Optional<InetSocketAddress> at) {
    if (check.path().isPresent() && at.isPresent()) {
      var answer = HttpProbe.get(
          at.get().getHostString(),
          at.get().getPort(),
          check.path().get(),
          "localhost",
          check.timeout());
      return answer.answered() && answer.status() / 100 == 2
          ? Optional.empty()
          : Optional.of("GET " + check.path().get() + ": " + answer.describe());
    }
    if (state.equals("healthy")) {
      return Optional.empty();
    }
    if (!state.equals("running")) {
      return Optional.of("docker says " + state);
    }
    if (at.isEmpty()) {
      return Optional.empty();
    }
    var answer = HttpProbe.get(
        at.get().getHostString(), at.get().getPort(), "/", "localhost", check.timeout());
    return answer.answered() ? Optional.empty() : Optional.of(answer.describe());
  }

  /**
   * Waits until nginx at {@code at} answers the site's revision for its domain, every time, for
   * {@link #SETTLED}: a reload signals nginx and returns, and for a few dozen milliseconds after the
   * new workers answer, old workers still accept connections with the old configuration.
   */
  void awaitServed(
      ResourceId site,
      String domain,
      String revision,
      InetSocketAddress at,
      Duration limit,
      Optional<X509TrustManager> tls)
      throws StepFailed, InterruptedException {
    awaitServed(site, domain, revision, Optional.empty(), at, limit, tls, SETTLED);
  }

  /**
   * Like {@link #awaitServed(ResourceId, String, String, InetSocketAddress, Duration, Optional)},
   * and, when {@code certificate} is given (a SHA-256), until nginx also presents that certificate:
   * a renewal shows only once the new workers answer the handshake. {@code settle}: how long every
   * answer must be the new one; zero after routes alone were switched (every worker reads them from
   * one shared table at once: the first answer with the new revision is the switch).
   */
  void awaitServed(
      ResourceId site,
      String domain,
      String revision,
      Optional<String> certificate,
      InetSocketAddress at,
      Duration limit,
      Optional<X509TrustManager> tls,
      Duration settle)
      throws StepFailed, InterruptedException {
    var until = waits.nanoTime() + limit.toNanos();
    var servedSince = 0L;
    while (true) {
      var answer = HttpProbe.get(
          at.getHostString(),
          at.getPort(),
          SiteControl.REVISION_PATH,
          domain,
          Duration.ofSeconds(2),
          tls.map(t -> new HttpProbe.Tls(domain, Optional.of(t))));
      var now = waits.nanoTime();
      var served = answer.status() == 200
          ? RevisionAnswer.parse(answer.body())
          : Optional.<RevisionAnswer>empty();
      var presented = answer.certificate().map(Certificates::sha256);
      if (served.filter(s -> s.revision().equals(revision)).isEmpty()
          || certificate.isPresent() && !presented.equals(certificate)) {
        servedSince = 0L;
      } else {
        servedSince = servedSince == 0L ? now : servedSince;
        if (now - servedSince >= settle.toNanos()) {
          return;
        }
      }
      if (now > until) {
        throw new StepFailed(
            site,
            "reload",
            "nginx at " + at.getHostString() + ":" + at.getPort() + " does not "
                + "serve the new site steadily " + limit.toSeconds() + " s after the reload (GET "
                + SiteControl.REVISION_PATH + " for " + domain + " gave " + answer.describe()
                + (certificate.isPresent() && !presented.equals(certificate)
                    ? " with another certificate than the one installed"
                    : "")
                + "); does reload_command reload the nginx that reads the sites directory, and does it "
                + "listen there (platform.nginx.listen)?");
      }
      waits.pause(Duration.ofMillis(10));
    }
  }

  /** Runs each smoke check against an address; throws naming the first that fails. */
  void smoke(
      DesiredContainer container,
      List<SmokeCheck> checks,
      InetSocketAddress at,
      String hostHeader,
      String where)
      throws StepFailed {
    check(container, checks, at, hostHeader, where, Optional.empty());
    if (!checks.isEmpty()) {
      listener.step(container.id(), checks.size() + " smoke check(s) passed " + where);
    }
  }

  /** Like {@link #smoke} without a progress line: for the rounds of the bake. */
  void check(
      DesiredContainer container,
      List<SmokeCheck> checks,
      InetSocketAddress at,
      String hostHeader,
      String where,
      Optional<X509TrustManager> tls)
      throws StepFailed {
    for (var check : checks) {
      var answer = HttpProbe.get(
          at.getHostString(),
          at.getPort(),
          check.path(),
          hostHeader,
          Duration.ofSeconds(5),
          tls.map(t -> new HttpProbe.Tls(hostHeader, Optional.of(t))));
      var expected =
          check.status() + check.contains().map(c -> " containing '" + c + "'").orElse("");
      var ok = answer.status() == check.status()
          && check.contains().map(c -> answer.body().contains(c)).orElse(true);
      if (!ok) {
        throw new StepFailed(
            container.id(),
            "smoke test " + where,
            "GET " + check.path() + " gave "
                + answer.describe()
                + (answer.answered() && check.contains().isPresent()
                    ? " without '" + check.contains().get() + "'"
                    : "")
                + ", expected " + expected);
      }
    }
  }

  private static String seconds(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }
}
