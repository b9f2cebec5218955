package dev.reconcile.render;

import dev.reconcile.plan.Plan;

/** Turns a plan into text. Implementations are pure and thread-safe. */
public interface PlanRenderer {
  String render(Plan plan);
}
