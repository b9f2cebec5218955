package dev.reconcile.backup;

import dev.reconcile.deploy.BackupFirst;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The backup an apply or a heal takes before it changes an environment, with the environment's
 * lock already held by the deployment: taken, copied off-site, old ones pruned.
 */
public final class BeforeDeploy implements BackupFirst {
  private final Reconciliation reconciliation;
  private final Clock clock;
  private @Nullable Backups backups; // made at the first backup: most deployments take none

  public BeforeDeploy(Reconciliation reconciliation, Clock clock) {
    this.reconciliation = reconciliation;
    this.clock = clock;
  }

  @Override
  public Taken take(Reconciliation.Outcome.Planned planned, ProjectSpec project, String environment)
      throws Failed {
    try {
      if (backups == null) {
        backups =
            Backups.forPlan(planned, reconciliation.providers(), reconciliation.hosts(), clock);
      }
      var manifest = backups.take(
          planned,
          reconciliation.providers(),
          reconciliation.hosts(),
          project.name(),
          environment,
          "before deploy");
      var problem = backups.copyOffSite(manifest);
      try {
        backups.prune(project.name(), environment, project.backup().orElseThrow());
      } catch (IOException e) {
        problem = Optional.of(problem.map(p -> p + "; ").orElse("") + "pruning old backups failed: "
            + e.getMessage());
      }
      return new Taken(manifest.id(), manifest.size(), problem);
    } catch (Backups.BackupFailed e) {
      throw new Failed(Texts.messageOf(e));
    }
  }
}
