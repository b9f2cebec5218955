package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.providers.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden site, as the tool generates it, is accepted by the real nginx -t. */
class SitesNginxIT {

  static Stream<Path> sites() throws Exception {
    try (var list = Files.list(SiteCases.GOLDEN)) {
      return list.filter(p -> p.toString().endsWith(".conf")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sites")
  void nginxTest_goldenSite_passes(Path site, @TempDir Path state) throws Exception {
    // The managed nginx's own main config, as apply writes it: its loopback default server also
    // gives the system-mode site (no listen line) a port a test may use.
    var nginx = new ManagedNginx(
        new LocalHost("local"), state, new NginxSettings.Managed("127.0.0.1", 18090));
    // A certificate in the state directory: the main config then refuses unknown names over TLS
    // too.
    var certificate = state.resolve("tls/site.pem");
    Files.createDirectories(certificate.getParent());
    var made = new LocalHost("local")
        .run(
            dev.reconcile.host.CommandLine.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                state.resolve("key.pem").toString(),
                "-out",
                state.resolve("cert.pem").toString(),
                "-days",
                "1",
                "-subj",
                "/CN=shop.example.com"),
            Duration.ofSeconds(20));
    assertThat(made.exitCode()).as(made.output()).isZero();
    Files.writeString(
        certificate,
        Files.readString(state.resolve("key.pem")) + Files.readString(state.resolve("cert.pem")));
    nginx.prepare(state.resolve("sites"));
    var prefix = nginx.prefix();
    var text = Files.readString(site)
        .replace(SiteCases.CERTIFICATE, certificate.toString())
        .replace(SiteCases.CHALLENGES, state.resolve("acme/challenges.conf").toString())
        .replace(SiteCases.ACCESS_LOG, state.resolve("site.access.log").toString());
    var copy = state.resolve(site.getFileName());
    Files.writeString(copy, text);
    var conf = prefix.resolve("check/site.conf");
    Files.writeString(conf, nginx.mainConfig(List.of(copy.toAbsolutePath().toString())));

    var result = new LocalHost("local")
        .run(NginxCommands.standard().test(prefix, conf), Duration.ofSeconds(20));

    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
