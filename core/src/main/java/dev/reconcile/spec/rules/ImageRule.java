package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.model.ImageRef;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.util.Texts;
import java.util.ArrayList;
import java.util.stream.Stream;

/** Images follow the OCI reference grammar; an image without tag or digest is a warning. */
final class ImageRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .flatMap(Tree::allContainers)
        .map(c -> c.get("image"))
        .filter(image -> image.node().isTextual() && !image.node().asText().isEmpty())
        .forEach(image -> {
          var text = image.node().asText();
          switch (ImageRef.parse(text)) {
            case ImageRef.Parsed.Invalid invalid ->
              out.add(doc.errorAtValue(
                  image.path(), "invalid image '" + Texts.shown(text) + "': " + invalid.reason()));
            case ImageRef.Parsed.Valid valid -> {
              if (!valid.ref().isPinned()) {
                out.add(Diagnostic.warning(
                        doc.valuePosition(image.path()),
                        image.path().toString(),
                        "image '" + text + "' names no tag or digest, so it means ':latest'")
                    .withHint("pin a version, e.g. '" + text + ":1.0.0', so plans show changes"));
              }
            }
          }
        });
    return out.stream();
  }
}
