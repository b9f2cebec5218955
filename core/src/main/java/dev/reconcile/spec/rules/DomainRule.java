package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.util.Texts;
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

  /**
   * The longest name a default nginx takes: a hash bucket of 64 bytes (x86's cache line) holds a
   * pointer, a length, the name rounded up to 8 bytes, and an end pointer. The managed nginx sets
   * a bucket of 512; a system nginx has what its nginx.conf says.
   */
  static final int SYSTEM_NGINX_DEFAULT_LONGEST = 46;

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var owners = new HashMap<String, Owner>();
    var system =
        "system".equals(doc.root().path("platform").path("nginx").path("mode").asText());
    Tree.projects(doc)
        .forEach(project -> project.fields("domains").forEach(env -> {
          for (var domain : Tree.domainValues(env)) {
            var name = domain.node().asText();
            var where = project.name() + "/" + env.name();
            if (!HOST_NAME.matcher(name).matches()) {
              out.add(invalid(doc, domain, name));
              continue;
            }
            if (system && name.length() > SYSTEM_NGINX_DEFAULT_LONGEST) {
              out.add(
                  Diagnostic.warning(
                          doc.valuePosition(domain.path()),
                          domain.path().toString(),
                          "domain '" + name
                              + "' has " + name.length()
                              + " characters: a system nginx with the default "
                              + "server_names_hash_bucket_size (64) refuses names over "
                              + SYSTEM_NGINX_DEFAULT_LONGEST
                              + ", and then every apply fails at nginx -t")
                      .withHint(
                          "put 'server_names_hash_bucket_size 128;' in the http block of the system's nginx.conf"));
            }
            var position = doc.valuePosition(domain.path());
            var first = owners.putIfAbsent(name, new Owner(where, position));
            if (first != null) {
              out.add(doc.errorAtValue(
                      domain.path(),
                      "domain '" + name + "' is already used by " + first.where() + " (line "
                          + first.position().line() + ")")
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
