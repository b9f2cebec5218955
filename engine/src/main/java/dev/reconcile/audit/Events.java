package dev.reconcile.audit;

/** Where events go. Recording never fails its caller: a deploy is never held up by its audit. */
@FunctionalInterface
public interface Events {
  void record(Event event);

  Events NONE = event -> {};

  /** Both, in order. */
  default Events and(Events other) {
    return event -> {
      record(event);
      other.record(event);
    };
  }
}
