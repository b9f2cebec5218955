package dev.reconcile.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What {@code exec} and {@code run} take, a project's container, its environment and a command;
 * they end as {@link InEnvironment} says.
 */
final class InContainer {
  @Mixin
  InEnvironment where = new InEnvironment();

  @Parameters(
      index = "1",
      paramLabel = "CONTAINER",
      description = "The container, by its name in projects.yml.")
  String container = "";

  @Parameters(
      index = "2..*",
      paramLabel = "CMD",
      description = "The command and its arguments, after --.")
  List<String> command = new ArrayList<>();

  int run(ReconcileCommand root, InEnvironment.Session session)
      throws IOException, InterruptedException {
    return where.run(root, session);
  }
}
