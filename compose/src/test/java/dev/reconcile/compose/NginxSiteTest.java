package dev.reconcile.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxSiteTest {
  @Test
  void locations_passingToLocalPorts_withTheirSettings_andWhatIsLeftOut() throws Exception {
    var site = NginxSite.parse("""
        upstream api { server 127.0.0.1:8000 max_fails=3; }
        server {
          listen 443 ssl;
          server_name shop.example.com "www.shop.example.com" _ *.shop.example.com;
          client_max_body_size 20m; # uploads
          location / { proxy_pass http://localhost:3000/; }
          location ^~ /api/ { proxy_pass http://api; proxy_read_timeout 5m; }
          location /ws { proxy_pass http://127.0.0.1:9000; proxy_buffering off; }
          location /elsewhere { proxy_pass http://10.0.0.5:80; }
          location ~* \\.(png|jpg)$ { expires 30d; }
        }
        server { listen 80; server_name shop.example.com; return 301 https://$host$request_uri; }
        """, "site.conf");

    assertThat(site.domains()).containsExactly("shop.example.com", "www.shop.example.com");
    assertThat(site.locations())
        .containsExactly(
            new NginxSite.Location("/", 3000, Optional.of("20m"), Optional.empty(), true),
            new NginxSite.Location("/api", 8000, Optional.of("20m"), Optional.of("5m"), true),
            new NginxSite.Location("/ws", 9000, Optional.of("20m"), Optional.empty(), false));
    assertThat(site.leftOut())
        .containsExactly(
            "location /elsewhere (line 9): proxy_pass http://10.0.0.5:80 is not a port on this"
                + " machine",
            "location ~* \\.(png|jpg)$ (line 10): passes nothing to an app; an nginx_snippet"
                + " can keep it");
  }

  @Test
  void twoServersThatPassRequestsOn_areMerged_andTheDraftSaysSo() throws Exception {
    var site = NginxSite.parse("""
        server { server_name api.shop.test; location / { proxy_pass http://127.0.0.1:8000; } }
        server { server_name shop.test; location / { proxy_pass http://127.0.0.1:3000; } }
        """, "site.conf");

    assertThat(site.domains()).containsExactly("api.shop.test", "shop.test");
    assertThat(site.leftOut())
        .containsExactly("server (line 2): a second server that passes requests on; projects.yml"
            + " routes all of an environment's domains alike, so its locations are merged with"
            + " the first's: check them");
  }

  @Test
  void aBrokenSite_saysWhereAndWhy() {
    assertThatThrownBy(() -> NginxSite.parse("server {\n  listen 80\n}\n", "site.conf"))
        .hasMessage("site.conf:3: 'listen' is not ended by ';'");
    assertThatThrownBy(() -> NginxSite.parse("server {\n", "site.conf"))
        .hasMessage("site.conf:2: a '{' is not closed");
    assertThatThrownBy(() -> NginxSite.parse("{".repeat(100), "site.conf"))
        .hasMessageContaining("'{' without a directive");
    assertThatThrownBy(() -> NginxSite.parse("a {".repeat(100), "site.conf"))
        .hasMessageContaining("nested too deep");
  }
}
