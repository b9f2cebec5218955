package dev.reconcile.providers.ssh;

import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.providers.docker.DockerProvider;
import dev.reconcile.providers.docker.DockerVolumeContract;
import dev.reconcile.providers.nginx.NginxSiteContract;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The Docker and nginx providers keep the provider contract on a server reached over SSH. */
class SshProvidersContractIT {
  private static TestSshd sshd;
  private static HostSpec.Ssh spec;
  private static Host host;

  @BeforeAll
  static void connect() throws Exception {
    sshd = TestSshd.start();
    spec = sshd.host("web-2");
    host = new SshHostConnector().connect(spec, Path.of("."));
  }

  @AfterAll
  static void disconnect() throws Exception {
    host.close();
    sshd.close();
  }

  /** The engine through dial-stdio over the connection. */
  @Nested
  class Docker extends DockerVolumeContract {
    private final DockerProvider docker = new DockerProvider();

    Docker() {
      docker.useHosts(s -> host);
    }

    @Override
    protected HostSpec host() {
      return spec;
    }

    @Override
    protected DockerProvider docker() {
      return docker;
    }
  }

  /** A front door whose files and commands go through SshHost. */
  @Nested
  class Nginx extends NginxSiteContract {
    private final Path state = Path.of("/tmp", "rc-ssh-door-" + UUID.randomUUID());

    @Override
    protected Host host() {
      return host;
    }

    @Override
    protected Path state() {
      return state;
    }

    @AfterEach
    void removeState() throws Exception {
      host.deleteTree(state);
    }
  }

  /** Certificates written (0600) and read back through SshHost. */
  @Nested
  class Certificates extends dev.reconcile.providers.tls.CertificateContract {
    private final Path state = Path.of("/tmp", "rc-ssh-tls-" + UUID.randomUUID());

    @org.junit.jupiter.api.io.TempDir
    Path files;

    @Override
    protected Host host() {
      return host;
    }

    @Override
    protected Path state() {
      return state;
    }

    @Override
    protected Path files() {
      return files;
    }

    @AfterEach
    void removeState() throws Exception {
      host.deleteTree(state);
    }
  }
}
