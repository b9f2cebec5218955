/**
 * Servers over SSH (sshj): {@link dev.reconcile.providers.ssh.SshHost} runs commands on exec
 * channels, moves files by SFTP and reaches ports through direct-tcpip forwards, all over one
 * connection per host; {@link dev.reconcile.providers.ssh.SshHostConnector} connects strictly
 * (known_hosts, no trust on first use). Integration tests run it against a real sshd.
 */
@NullMarked
package dev.reconcile.providers.ssh;

import org.jspecify.annotations.NullMarked;
