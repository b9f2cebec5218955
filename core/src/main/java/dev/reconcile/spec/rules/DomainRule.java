package dev.reconcile.spec.rules;

import dev.reconcile.util.Texts;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Domains are host names (lowercase, so nothing can break out of an nginx server_name) and each
 * belongs to one project environment only: nginx would route a shared one arbitrarily.
 */
final class DomainRule implements SemanticRule {
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

  private record Owner(String where, SourcePosition position) {}

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var owners = new HashMap<String, Owner>();
    Tree.projects(doc).forEach(project -> project.fields("domains").forEach(env -> {
      for (var domain : Tree.domainValues(env)) {
        var name = domain.node().asText();
        var where = project.name() + "/" + env.name();
        if (!HOST_NAME.matcher(name).matches()) {
          out.add(invalid(doc, domain, name));
          continue;
        }
        var position = doc.valuePosition(domain.path());
        var first = owners.putIfAbsent(name, new Owner(where, position));
        if (first != null) {
          out.add(doc.errorAtValue(domain.path(), "domain '" + name + "' is already used by "
                  + first.where() + " (line " + first.position().line() + ")")
              .withHint("a domain can belong to one project environment only"));
        }
      }
    }));
    return out.stream();
  }

  private static Diagnostic invalid(SpecDocument doc, Tree.At domain, String name) {
    var d = doc.errorAtValue(domain.path(), "invalid domain '" + Texts.shown(name) + "'");
    var lower = name.toLowerCase(Locale.ROOT);
    if (!lower.equals(name) && HOST_NAME.matcher(lower).matches()) {
      return d.withHint("write domains in lowercase: '" + lower + "'");
    }
    if (name.matches("(?i)(https?://)?[a-z0-9.-]+(:[0-9]+)?(/.*)?") && name.contains("/")) {
      return d.withHint("give the host name only, without scheme or path");
    }
    return d.withHint("a domain is labels of lowercase letters, digits and '-', joined by '.'");
  }

}
