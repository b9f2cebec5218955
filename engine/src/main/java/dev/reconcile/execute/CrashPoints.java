package dev.reconcile.execute;

import java.io.IOException;

/**
 * A test seam for the crash matrix: {@code RECONCILE_TEST_KILL_AFTER=STEP} ends the process at
 * once (no cleanup, as kill -9 would) right after the named step of an apply or rollback;
 * {@code RECONCILE_TEST_SIGTERM_AFTER=STEP} sends it SIGTERM there and carries on;
 * {@code RECONCILE_TEST_HOOK_AFTER=STEP} runs {@code sh -c "$RECONCILE_TEST_HOOK"} there and carries
 * on (the SSH matrix drops the run's connections so). Read only when set; does nothing otherwise.
 */
public final class CrashPoints {
  /**
   * The named steps, in the order an apply reaches them. A switch reaches "reloaded" when nginx
   * reloads (a site's shape changed, or nginx cannot route live), "routing-changed" when only its
   * routes changed in the running nginx.
   */
  public static final String[] STEPS = {
    "slot-started",
    "healthy",
    "smoke-at-slot",
    "site-checked",
    "site-installed",
    "reloaded",
    "routing-changed",
    "revision-served",
    "bake",
    "names-moved",
    "drain",
    "old-slot-removed",
    "snapshot-written"
  };

  /**
   * Steps of an apply that only environments with ACME certificates or swarm services reach:
   * HttpsIT and SwarmIT kill there.
   */
  public static final String[] APPLY_ELSEWHERE = {
    "certificate-installed", "service-update-asked", "service-rolled"
  };

  /** The steps of a restore and of a backup: RestoreCrashIT and BackupIT kill there. */
  public static final String[] OPERATIONS = {
    "restore-staged", "restore-backed-up", "restore-swapping", "restore-swapped", "backup-writing"
  };

  private static final String KILL = System.getenv("RECONCILE_TEST_KILL_AFTER");
  private static final String TERM = System.getenv("RECONCILE_TEST_SIGTERM_AFTER");
  private static final String HOOK_AFTER = System.getenv("RECONCILE_TEST_HOOK_AFTER");

  private CrashPoints() {}

  private static final String FAIL = System.getenv("RECONCILE_TEST_FAIL");

  /** Throws an error there when RECONCILE_TEST_FAIL names the point: a failure of the code itself. */
  public static void failIf(String point) {
    if (point.equals(FAIL)) {
      throw new IllegalStateException("RECONCILE_TEST_FAIL=" + point);
    }
  }

  public static void reached(String step) {
    if (step.equals(KILL)) {
      Runtime.getRuntime().halt(137);
    }
    if (step.equals(HOOK_AFTER)) {
      try {
        new ProcessBuilder("sh", "-c", System.getenv("RECONCILE_TEST_HOOK"))
            .inheritIO()
            .start()
            .waitFor();
      } catch (IOException e) {
        throw new IllegalStateException("RECONCILE_TEST_HOOK_AFTER: cannot run the hook", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (step.equals(TERM)) {
      try {
        new ProcessBuilder(
                "kill", "-TERM", Long.toString(ProcessHandle.current().pid()))
            .inheritIO()
            .start()
            .waitFor();
      } catch (IOException e) {
        throw new IllegalStateException("RECONCILE_TEST_SIGTERM_AFTER: cannot signal", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
