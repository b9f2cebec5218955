package dev.reconcile.provider;

import dev.reconcile.resource.ResourceId;

/** What an idempotent action did, named after what happened. */
public sealed interface Outcome {
  ResourceId id();

  /** Words for the progress line, e.g. {@code created shop-web-production-blue}. */
  String describe();

  record Created(ResourceId id, String what) implements Outcome {
    @Override
    public String describe() {
      return "created " + what;
    }
  }

  /** @param what what happened, in full, e.g. {@code container web-blue stopped} */
  record Updated(ResourceId id, String what) implements Outcome {
    @Override
    public String describe() {
      return what;
    }
  }

  record Unchanged(ResourceId id, String what) implements Outcome {
    @Override
    public String describe() {
      return what + " already as declared";
    }
  }

  /**
   * Left in place although the plan meant to remove it, because of what the host showed at the
   * apply (e.g. a container joined a network since the plan).
   *
   * @param why what was found, e.g. {@code 2 container(s) joined it since the plan}
   */
  record Kept(ResourceId id, String what, String why) implements Outcome {
    @Override
    public String describe() {
      return what + " kept: " + why;
    }
  }

  record Deleted(ResourceId id, String what) implements Outcome {
    @Override
    public String describe() {
      return "removed " + what;
    }
  }

  record AlreadyAbsent(ResourceId id, String what) implements Outcome {
    @Override
    public String describe() {
      return what + " already gone";
    }
  }
}
