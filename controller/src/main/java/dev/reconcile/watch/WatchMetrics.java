package dev.reconcile.watch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;

/** What the controller counts, in a Prometheus registry of its own, for {@code /metrics}. */
public final class WatchMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter runs = Counter.builder()
      .name("reconcile_runs_total")
      .help(
          "Reconcile runs per key and result (in_sync, drift, pending, healed, failed, locked, interrupted).")
      .labelNames("key", "result")
      .register(registry);
  private final Histogram durations = Histogram.builder()
      .name("reconcile_run_duration_seconds")
      .help("How long one reconcile run of a key took.")
      .labelNames("key")
      .classicOnly()
      .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
      .register(registry);
  private final Gauge driftItems = Gauge.builder()
      .name("reconcile_drift_items")
      .help("Differences found at the last run of each key, per class (drift, pending).")
      .labelNames("key", "class")
      .register(registry);
  private final Counter failures = Counter.builder()
      .name("reconcile_failures_total")
      .help("Failed runs per key.")
      .labelNames("key")
      .register(registry);
  private final Gauge backoff = Gauge.builder()
      .name("reconcile_backoff_seconds")
      .help("How long a failing key waits before its next try (0 when it is not failing).")
      .labelNames("key")
      .register(registry);
  private final Gauge queueDepth = Gauge.builder()
      .name("reconcile_queue_depth")
      .help("Keys waiting for a worker.")
      .register(registry);
  private final Gauge lastSuccess = Gauge.builder()
      .name("reconcile_last_success_timestamp_seconds")
      .help("When each key last ran without failing (Unix time).")
      .labelNames("key")
      .register(registry);
  private final Counter events = Counter.builder()
      .name("reconcile_trigger_events_total")
      .help("Triggers that enqueued a key, per source (spec, docker, site, resync, backup).")
      .labelNames("source")
      .register(registry);

  public void ran(String key, String result, Duration took) {
    runs.labelValues(key, result).inc();
    durations.labelValues(key).observe(took.toNanos() / 1e9);
  }

  public void found(String key, long drift, long pending) {
    driftItems.labelValues(key, "drift").set(drift);
    driftItems.labelValues(key, "pending").set(pending);
  }

  public void failed(String key, Duration wait) {
    failures.labelValues(key).inc();
    backoff.labelValues(key).set(wait.toNanos() / 1e9);
  }

  public void succeeded(String key, Instant at) {
    backoff.labelValues(key).set(0);
    lastSuccess.labelValues(key).set(at.toEpochMilli() / 1000.0);
  }

  private final Gauge requestsPerMinute = Gauge.builder()
      .name("reconcile_site_requests_per_minute")
      .help("Requests nginx served a site per minute, over the last 5 minutes of its access log.")
      .labelNames("key")
      .register(registry);
  private final Gauge serverErrorRatio = Gauge.builder()
      .name("reconcile_site_5xx_ratio")
      .help("The share (0 to 1) of a site's answers that were 5xx, over the last 5 minutes.")
      .labelNames("key")
      .register(registry);

  public void traffic(String key, double perMinute, double serverErrors) {
    requestsPerMinute.labelValues(key).set(perMinute);
    serverErrorRatio.labelValues(key).set(serverErrors);
  }

  public void queue(int depth) {
    queueDepth.set(depth);
  }

  public void triggered(String source) {
    events.labelValues(source).inc();
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }
}
