package dev.reconcile.cli.view;

/** How results are printed ({@code --output}): for people, or as JSON for tools. */
public enum Output {
  text,
  json
}
