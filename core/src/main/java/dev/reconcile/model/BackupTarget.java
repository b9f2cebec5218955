package dev.reconcile.model;

import java.util.Optional;

/**
 * Where backups are copied off-site: a folder on this machine (a mounted disk), or a folder on
 * a server reached over SFTP.
 *
 * @param path the folder; on this machine relative to projects.yml's folder, on a server absolute
 *     or relative to the login's home
 * @param server the SFTP server, with its identity and known_hosts; empty: this machine
 */
public record BackupTarget(String path, Optional<HostSpec.Ssh> server) {
  /** The name the server goes by in messages and among connections (never a host's name). */
  public static final String SERVER_NAME = "backup_target";

  public static BackupTarget folder(String path) {
    return new BackupTarget(path, Optional.empty());
  }

  /** As shown: the folder, or {@code sftp://user@server:port/path}. */
  public String describe() {
    return server
        .map(s -> "sftp://" + s.user() + "@" + s.address() + ":" + s.port() + "/"
            + path.replaceFirst("^/", ""))
        .orElse(path);
  }
}
