package dev.reconcile.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Locates the JSON Schemas bundled in this jar by name. */
public final class Schemas {
  /** The schema of {@code projects.yml}. */
  public static final String PROJECTS = "projects.schema.json";

  /** The schema of a plan in JSON, as printed by {@code plan --format json} and saved by --out. */
  public static final String PLAN = "plan.schema.json";

  /** The schema of {@code reconcile drift --format json}. */
  public static final String DRIFT = "drift.schema.json";

  /** The schema of a snapshot manifest in the history. */
  public static final String SNAPSHOT = "snapshot.schema.json";

  private Schemas() {}

  /** Opens a bundled schema; the caller closes the stream. */
  public static InputStream open(String name) {
    var in = Schemas.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalArgumentException("no bundled schema named " + name);
    }
    return in;
  }

  /** Reads a bundled schema as text. */
  public static String text(String name) {
    try (var in = open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
