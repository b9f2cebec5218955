package dev.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reconcile.desired.Route;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.Serving;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What nginx serves, asked per site at its revision path: here of a small HTTP server standing in
 * for nginx on loopback (a port the system picks), answering each domain with its revision.
 */
class ServedSitesTest {
  @TempDir
  Path state;

  private HttpServer nginx;
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    nginx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    nginx.setExecutor(Executors.newCachedThreadPool());
    nginx.createContext(SiteControl.REVISION_PATH, exchange -> {
      var now = inFlight.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      var domain = exchange.getRequestHeaders().getFirst("Host").replaceAll(":.*", "");
      asked.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(20); // an answer takes a moment: several are asked at once
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      var body = (revisionOf(domain) + " web=127.0.0.1:9000\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      inFlight.decrementAndGet();
    });
    nginx.start();
  }

  @AfterEach
  void stop() {
    nginx.stop(0);
  }

  private static String revisionOf(String domain) {
    return String.format("%016x", domain.hashCode() & 0xffffffffL);
  }

  private FrontDoor door() {
    return new FrontDoor(
        new LocalHost("local"),
        new NginxSettings.System(
            state.toString(),
            NginxSettings.System.DEFAULT_RELOAD,
            NginxSettings.System.DEFAULT_TEST,
            Optional.of("127.0.0.1:" + nginx.getAddress().getPort())),
        state,
        state);
  }

  private static ObservedSite site(int i) {
    var domain = "p" + i + ".test";
    return new ObservedSite(
        ResourceId.site("p" + i, "production"),
        "/sites/p" + i + ".production.conf",
        "hash",
        Optional.of(new SiteFingerprint(
            List.of(domain), List.of(new Route("/", "web")), "80", Optional.empty())),
        Map.of("web", "127.0.0.1:9000"),
        "content",
        false,
        Optional.of(revisionOf(domain)),
        Serving.UNKNOWN,
        true,
        Optional.empty());
  }

  @Test
  void ask_eachSiteItsRevision_severalAtOnce() {
    var sites = IntStream.range(0, 24).mapToObj(ServedSitesTest::site).toList();

    // A system nginx: no master of its own to look for, so no site control is asked.
    var served = ServedSites.ask(door(), null, sites);

    assertThat(served).hasSize(24);
    sites.forEach(site -> assertThat(served.get(site.id()).serving())
        .isEqualTo(
            new Serving.Serves(site.revision().orElseThrow(), Map.of("web", "127.0.0.1:9000"))));
    assertThat(asked.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(mostAtOnce.get()).isGreaterThan(1).isLessThanOrEqualTo(8);
  }
}
