package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredSite;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SiteControl} promises, whoever wrote it: nginx's own, a plugin's that wraps it
 * ({@link ForwardingSiteControl}), or a front door of another make. Run it against a front door of
 * the test's own (files and the front door's own check; nothing is served): extend it, say which
 * front door, which site and its upstreams. {@code reconcile-core}'s test jar ships it for plugin
 * authors (docs/plugins.md).
 */
public abstract class SiteControlContract {
  /** The capability under test. */
  protected abstract SiteControl sites();

  /** A front door of this test alone, ready for sites (its folders made). */
  protected abstract FrontDoor door() throws Exception;

  /** A site to render, with no certificate to find. */
  protected abstract DesiredSite site() throws Exception;

  /** Where each of the site's components is served. */
  protected abstract Map<String, String> upstreams() throws Exception;

  @Test
  void rendered_isAccepted_installed_andReadBackAsWritten_withItsRevision() throws Exception {
    var door = door();
    var site = site();
    var text = sites().render(door, site, upstreams());

    assertThat(sites().controls(door.nginx())).isTrue();
    assertThat(sites().check(door, site.id(), text))
        .isInstanceOf(SiteControl.Verdict.Accepted.class);
    assertThat(sites().checkTogether(door, Map.of(site.id(), text)))
        .isInstanceOf(SiteControl.Verdict.Accepted.class);
    assertThat(sites().installed(door, site.id()))
        .as("nothing before the install")
        .isEmpty();
    sites().install(door, site.id(), text);

    assertThat(sites().installed(door, site.id())).hasValue(text);
    assertThat(sites().revision(text))
        .as("the revision a switch is confirmed by")
        .isPresent();
    assertThat(sites().overTls(text)).isFalse();
  }

  @Test
  void aBrokenSite_isRejectedInTheFrontDoorsWords_andNothingIsInstalled() throws Exception {
    var door = door();
    var site = site();

    var verdict = sites().check(door, site.id(), "this is { not a site");

    assertThat(verdict).isInstanceOf(SiteControl.Verdict.Rejected.class);
    assertThat(((SiteControl.Verdict.Rejected) verdict).output()).isNotBlank();
    assertThat(sites().installed(door, site.id())).isEmpty();
  }

  @Test
  void uninstall_removesTheSite_andAgainSaysItWasGone() throws Exception {
    var door = door();
    var site = site();
    sites().install(door, site.id(), sites().render(door, site, upstreams()));

    assertThat(sites().uninstall(door, site.id())).isInstanceOf(Outcome.Deleted.class);
    assertThat(sites().installed(door, site.id())).isEmpty();
    assertThat(sites().uninstall(door, site.id())).isInstanceOf(Outcome.AlreadyAbsent.class);
  }

  @Test
  void aRewrittenSite_staysTheToolsOwn_andIsAccepted() throws Exception {
    var door = door();
    var site = site();
    var text = sites().render(door, site, upstreams());

    var rewritten = sites().rewrite(text, body -> body + "\n# rewritten by the contract\n");

    assertThat(rewritten).contains("# rewritten by the contract");
    // Still recognised as a site this front door rendered: a switch to it is confirmed as any.
    assertThat(sites().revision(rewritten)).isPresent();
    assertThat(sites().check(door, site.id(), rewritten))
        .isInstanceOf(SiteControl.Verdict.Accepted.class);
  }
}
