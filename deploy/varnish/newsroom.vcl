# Varnish 7 in front of Newsroom: anonymous readers served from memory, each page
# dropped or marked stale by the keys the app purges after every editorial change.
#
# A template: `make serve-cache` (or `python -m newsroom.varnish`) renders it with
# the backend's address and the purge ACL:
#   backend_host, backend_port  the app's gunicorn (VARNISH_BACKEND)
#   purge_acl                   who may purge (VARNISH_PURGE_ACL)
# The app declares what a page is made of (`xkey: story-12 list-front`, also
# `Surrogate-Key` and `Cache-Tag` for CDNs) and how long a shared cache may keep
# it (`Cache-Control: public, max-age=0, s-maxage=N`); it purges with
# `PURGE /` and `xkey-purge: <keys>` (hard: gone) or `xkey-softpurge: <keys>`
# (soft: served stale, in grace, while one request fetches it again).
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "${backend_host}";
    .port = "${backend_port}";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

# The app's hosts: only they may purge, or see a page's keys (X-Cache-Debug).
acl purgers {
${purge_acl}
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the app's hosts"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.x-purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Send the keys in xkey-purge or xkey-softpurge"));
        }
        return (synth(200, "Purged " + req.http.x-purged));
    }
    unset req.http.x-cache;
    # Anything but reading passes (POSTs, the app's own 405 for the rest).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (previews included), the health check: never from the cache.
    if (req.url ~ "^/admin(/|$|\?)" || req.url ~ "^/healthz" || req.url ~ "[?&]preview=") {
        return (pass);
    }
    # A session (staff) or a form's CSRF cookie: the page is that person's.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics) is not read by the app: one page for all.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # Tracking parameters, as the app's page cache drops them
    # (core.page_cache.TRACKING_PARAMETERS): one object for every click.
    if (req.url ~ "[?&](utm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|igshid|mc_cid|mc_eid|_ga|_gl)(=|&|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|igshid|mc_cid|mc_eid|_ga|_gl)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # The same query in any order is the same page.
    set req.url = std.querysort(req.url);
    return (hash);
}

sub vcl_hash {
    # A page served over http (a redirect) is not the https one.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_hit {
    if (obj.ttl <= 0s) {
        set req.http.x-cache = "HIT-STALE";  # in grace, while it is fetched again
    } else {
        set req.http.x-cache = "HIT";
    }
}

sub vcl_miss {
    set req.http.x-cache = "MISS";
}

sub vcl_pass {
    set req.http.x-cache = "PASS";
}

sub vcl_backend_fetch {
    unset bereq.http.x-cache;
}

sub vcl_backend_response {
    # Text goes out compressed to every client that asks (every browser does), as
    # a CDN sends it: kept compressed, unzipped only for a client that does not
    # ask. The app's own responses stay plain, so its ETags are the page's.
    if (beresp.http.Content-Type ~ "(?i)^(text/|application/(json|xml|rss\+xml|atom\+xml|ld\+json|javascript))"
        && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    # The app says how long a shared cache keeps a page (s-maxage, which Varnish
    # prefers to max-age); a page answered with a cookie, private or no-store is
    # not kept (the built-in rules, run after this). After its time, or a soft
    # purge, a page is served for a while longer, as one request fetches it again:
    # a purge of a hot page does not send a herd (the others wait or get the old
    # page; requests for a page being fetched are coalesced into one).
    # The app may choose that time (stale-while-revalidate, which Varnish reads).
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate=") {
        set beresp.grace = 1m;
    }
    # Only what the app says a cache may keep: a response with no freshness of its
    # own would otherwise be kept for Varnish's default_ttl, with no keys to purge.
    if (beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)=[0-9]" && beresp.status < 500) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;  # hit-for-miss: fetched every time
        return (deliver);
    }
    if (beresp.status >= 500) {
        # A stale page rather than an error while the app is failing.
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        # The error itself is shared for a second, not marked "fetch every time"
        # (hit-for-miss) for two minutes: readers of a hot page that failed once
        # would each go to the app, one after another, with no coalescing.
        if (!beresp.http.Set-Cookie && !bereq.uncacheable) {
            set beresp.ttl = 1s;
            set beresp.grace = 0s;
            return (deliver);
        }
    }
}

sub vcl_deliver {
    if (req.http.x-cache) {
        set resp.http.X-Cache = req.http.x-cache;
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this tier; the app's hosts may ask to see them.
    if (!(req.http.X-Cache-Debug && client.ip ~ purgers)) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
        unset resp.http.Cache-Tag;
    }
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
