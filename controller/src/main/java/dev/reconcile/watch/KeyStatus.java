package dev.reconcile.watch;

import java.util.Optional;

/**
 * Where one key stood at its last run, for {@code /status}.
 *
 * @param state in-sync, drifted, pending, held, applying, unreachable, failing
 * @param lastSerial the latest snapshot's serial
 * @param lastRun when it last ran
 * @param failures failures in a row
 * @param error the last failure, when failing
 */
public record KeyStatus(
    String key,
    String state,
    long drift,
    long pending,
    Optional<Integer> lastSerial,
    Optional<String> lastApplied,
    String lastRun,
    int failures,
    Optional<String> error) {}
