package dev.reconcile.host;

import dev.reconcile.model.HostSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@link Host}s of the kinds it knows. Found through {@link java.util.ServiceLoader} like
 * providers, so the engine names no implementation.
 */
public interface HostConnector {
  boolean connects(HostSpec spec);

  /**
   * @param specDir the folder of projects.yml: relative key and known_hosts paths resolve there
   * @throws IOException when the host cannot be reached or refuses us; the message says why
   */
  Host connect(HostSpec spec, Path specDir) throws IOException;
}
