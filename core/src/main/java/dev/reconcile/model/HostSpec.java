package dev.reconcile.model;

import java.util.Optional;

/** A Docker host a project can run on. */
public sealed interface HostSpec {
  String name();

  /** A local engine, reached through a socket or TCP endpoint. */
  record Docker(String name, String endpoint) implements HostSpec {
    public static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
  }

  /** A server whose engine is reached over SSH. */
  record Ssh(String name, String user, String address, int port, Optional<String> identity)
      implements HostSpec {}
}
