package dev.reconcile.provider;

import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;

/**
 * An nginx front door: the host it runs on, how it is run, and where its site files live (paths
 * on that host).
 *
 * @param stateDir the managed nginx keeps its prefix in {@code stateDir/nginx}
 */
public record FrontDoor(Host host, NginxSettings nginx, Path stateDir, Path sitesDir)
    implements ObserveTarget {
  /**
   * Where the certificate of a project environment lives: one file holding the key and the chain
   * (0600), so a renewal replaces both in one rename and no reload ever reads a key beside the
   * wrong certificate. The site provider points nginx at it; the certificate provider writes it.
   */
  public Path certificateFile(ResourceId id) {
    return certificatesDir().resolve(id.project() + "." + id.environment() + ".pem");
  }

  public Path certificatesDir() {
    return stateDir.resolve("tls");
  }

  /**
   * The nginx snippet answering the CA's HTTP-01 challenges at {@link #CHALLENGE_PATH} while an
   * order runs: one {@code location = PATH/TOKEN { return 200 ANSWER; }} each, included by the
   * plain-HTTP servers. Answers live in the configuration, not in files nginx's workers would
   * have to be allowed to read (they run as another user when nginx is started as root).
   */
  public Path challengeFile() {
    return stateDir.resolve("acme/challenges.conf");
  }

  /**
   * Where a site's requests are logged, one JSON object per line: in the managed nginx's prefix,
   * or beside the system nginx's own logs (a folder that exists wherever Debian's nginx does).
   * The tool rotates it (AccessLogs), so it never fills the disk.
   */
  public Path accessLog(ResourceId site) {
    var name = site.project() + "." + site.environment() + ".access.log";
    return switch (nginx) {
      case NginxSettings.Managed m -> stateDir.resolve("nginx/logs/access").resolve(name);
      case NginxSettings.System s -> Path.of("/var/log/nginx/reconcile." + name);
    };
  }

  /** What the challenge file holds when no order runs. */
  public static final String NO_CHALLENGES =
      "# Managed by reconcile: answers to the CA's HTTP-01 challenges while an order runs.\n";

  /** The path the CA fetches a challenge answer from, on plain HTTP. */
  public static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";

  @Override
  public String describe() {
    return "nginx sites in " + sitesDir + (host.name().equals("local") ? "" : " on " + host.name());
  }
}
