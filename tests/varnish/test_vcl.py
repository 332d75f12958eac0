"""deploy/varnish/newsroom.vcl in a real varnishd, in front of a tiny backend of
the test's own that counts the requests reaching it."""

import gzip
import http.client
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

SETTLE_SECONDS = 5  # the longest a test waits for a background fetch to land


def test_an_anonymous_get_is_served_from_the_cache(varnish, backend):
    backend.page("/story/", "story-1 list-front")
    varnish.request(path="/story/")

    status, headers, body = varnish.request(path="/story/")

    assert (status, headers["x-cache"], body) == (200, "HIT", "/story/ version 1")
    assert "age" in headers
    assert backend.hits_of("/story/") == 1


def test_a_head_is_served_from_the_cache(varnish, backend):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")

    status, headers, _ = varnish.request("HEAD", "/story/")

    assert (status, headers["x-cache"], backend.hits_of("/story/")) == (200, "HIT", 1)


def test_a_page_without_s_maxage_is_not_kept(varnish, backend):
    backend.pages["/mine/"] = {"Cache-Control": "max-age=0"}
    varnish.request(path="/mine/")
    varnish.request(path="/mine/")

    assert backend.hits_of("/mine/") == 2


def test_a_page_without_cache_control_is_not_kept(varnish, backend):
    varnish.request(path="/plain/")
    varnish.request(path="/plain/")

    assert backend.hits_of("/plain/") == 2


def test_a_hard_purge_of_a_key_drops_every_page_carrying_it(varnish, backend):
    backend.page("/story/", "story-1 list-front")
    backend.page("/", "list-front story-1 story-2")
    varnish.request(path="/story/")
    varnish.request(path="/")
    backend.change("/story/")

    status, _, answer = varnish.purge("story-1")
    _, story_headers, story = varnish.request(path="/story/")
    _, front_headers, _ = varnish.request(path="/")

    assert (status, answer.strip()) == (200, "Purged 2")
    assert (story_headers["x-cache"], story) == ("MISS", "/story/ version 2")
    assert front_headers["x-cache"] == "MISS"


def test_a_purge_leaves_pages_without_its_keys_cached(varnish, backend):
    backend.page("/story/", "story-1")
    backend.page("/other/", "story-2")
    varnish.request(path="/other/")

    varnish.purge("story-1 story-3")
    _, headers, _ = varnish.request(path="/other/")

    assert (headers["x-cache"], backend.hits_of("/other/")) == ("HIT", 1)


def test_a_soft_purge_serves_the_old_page_once_while_it_is_fetched_again(
    varnish, backend
):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")
    backend.change("/story/")

    status, _, _ = varnish.purge("story-1", hard=False)
    _, stale_headers, stale = varnish.request(path="/story/")
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:  # until the background fetch is in
        _, fresh_headers, fresh = varnish.request(path="/story/")
        if fresh_headers["x-cache"] != "HIT-STALE":
            break
        time.sleep(0.02)

    assert status == 200
    assert (stale_headers["x-cache"], stale) == ("HIT-STALE", "/story/ version 1")
    assert (fresh_headers["x-cache"], fresh) == ("HIT", "/story/ version 2")
    assert backend.hits_of("/story/") == 2


def test_the_app_may_refuse_grace_with_stale_while_revalidate(varnish, backend):
    backend.page(
        "/story/",
        "story-1",
        **{"Cache-Control": "public, max-age=0, s-maxage=60, stale-while-revalidate=0"},
    )
    varnish.request(path="/story/")

    varnish.purge("story-1", hard=False)
    _, headers, _ = varnish.request(path="/story/")

    assert headers["x-cache"] == "MISS"


@pytest.mark.parametrize("cookie", ["sessionid=abc", "a=1; csrftoken=xyz"])
def test_a_request_with_a_session_or_csrf_cookie_passes(varnish, backend, cookie):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")

    _, headers, _ = varnish.request(path="/story/", headers={"Cookie": cookie})

    assert (headers["x-cache"], backend.hits_of("/story/")) == ("PASS", 2)


def test_other_cookies_are_dropped_and_the_page_shared(varnish, backend):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/", headers={"Cookie": "_pk_id=1"})

    _, headers, _ = varnish.request(path="/story/", headers={"Cookie": "_pk_id=2"})

    assert (headers["x-cache"], backend.hits_of("/story/")) == ("HIT", 1)
    assert "Cookie" not in backend.seen[0][2]


def test_a_post_passes(varnish, backend):
    backend.page("/search/", "site")
    varnish.request("POST", "/search/", body="q=1")
    _, headers, _ = varnish.request("POST", "/search/", body="q=1")

    assert (headers["x-cache"], backend.hits_of("/search/")) == ("PASS", 2)


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/articles/article/1/change/", "/healthz", "/s/?preview=1"],
)
def test_the_admin_previews_and_the_health_check_pass(varnish, backend, path):
    backend.page(path.split("?")[0], "site")
    varnish.request(path=path)
    _, headers, _ = varnish.request(path=path)

    assert (headers["x-cache"], backend.hits_of(path.split("?")[0])) == ("PASS", 2)


def test_tracking_parameters_are_stripped_to_the_same_page(varnish, backend):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")

    _, headers, _ = varnish.request(path="/story/?utm_source=x&fbclid=abc&gclid=1")

    assert (headers["x-cache"], backend.hits_of("/story/")) == ("HIT", 1)


def test_other_parameters_are_kept_in_any_order(varnish, backend):
    backend.page("/tags/x/", "tag-1")
    varnish.request(path="/tags/x/?page=2&utm_medium=social&after=5")

    _, headers, _ = varnish.request(path="/tags/x/?after=5&page=2")

    assert headers["x-cache"] == "HIT"
    assert [path for _, path, _ in backend.seen] == ["/tags/x/?after=5&page=2"]


def test_keys_are_hidden_from_readers(varnish, backend):
    backend.page("/story/", "story-1 list-front")

    _, headers, _ = varnish.request(path="/story/")

    assert not {"xkey", "surrogate-key", "cache-tag"} & set(headers)
    assert headers["cache-control"] == "public, max-age=0, s-maxage=60"


def test_the_apps_hosts_may_see_the_keys(varnish, backend):
    backend.page("/story/", "story-1 list-front")

    _, headers, _ = varnish.request(path="/story/", headers={"X-Cache-Debug": "1"})

    assert headers["xkey"] == "story-1 list-front"


def test_a_purge_without_keys_is_refused(varnish):
    status, _, _ = varnish.request("PURGE", "/")

    assert status == 400


def test_a_purge_from_outside_the_acl_is_refused(start_varnish, backend):
    varnish = start_varnish(backend.address, purge_acl="10.0.0.0/8")
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")

    status, _, _ = varnish.purge("story-1")
    _, headers, _ = varnish.request(path="/story/", headers={"X-Cache-Debug": "1"})

    assert status == 403
    assert headers["x-cache"] == "HIT"
    assert "xkey" not in headers  # nor may it see the keys


def test_a_browser_revalidates_with_the_etag(varnish, backend):
    backend.page("/story/", "story-1", ETag='"v1"')
    varnish.request(path="/story/")

    status, headers, _ = varnish.request(
        path="/story/", headers={"If-None-Match": '"v1"'}
    )

    assert (status, headers["x-cache"], backend.hits_of("/story/")) == (304, "HIT", 1)


def requests_at_once(varnish, path, count=20):
    with ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(lambda _: varnish.request(path=path), range(count)))
    return [body for _, _, body in answers]


def test_readers_of_a_hard_purged_hot_page_wait_for_one_fetch(varnish, backend):
    backend.page("/", "list-front")
    varnish.request(path="/")
    backend.delays["/"] = 0.5
    backend.change("/")

    varnish.purge("list-front")
    bodies = requests_at_once(varnish, "/")

    assert set(bodies) == {"/ version 2"}
    assert backend.hits_of("/") == 2  # the first fetch and one after the purge


def test_readers_of_a_soft_purged_hot_page_get_it_stale_during_one_fetch(
    varnish, backend
):
    backend.page("/", "list-front")
    varnish.request(path="/")
    backend.delays["/"] = 0.5
    backend.change("/")

    varnish.purge("list-front", hard=False)
    bodies = requests_at_once(varnish, "/")

    assert set(bodies) == {"/ version 1"}
    deadline = time.monotonic() + SETTLE_SECONDS
    while backend.hits_of("/") < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backend.hits_of("/") == 2


def test_a_failing_app_leaves_the_stale_page_served(varnish, backend):
    backend.page("/", "list-front")
    varnish.request(path="/")
    backend.statuses["/"] = 500
    varnish.purge("list-front", hard=False)

    bodies = [varnish.request(path="/")[2] for _ in range(3)]
    time.sleep(0.2)  # the background fetches have failed by now
    bodies.append(varnish.request(path="/")[2])

    assert bodies == ["/ version 1"] * 4
    assert backend.hits_of("/") >= 2  # it was asked again, and failed


def test_an_error_is_shared_for_a_moment_not_fetched_by_every_reader(varnish, backend):
    backend.statuses["/"] = 503
    backend.delays["/"] = 0.3

    requests_at_once(varnish, "/", count=10)

    assert backend.hits_of("/") == 1


def raw_get(varnish, path, headers):
    """(headers, body bytes) of a GET, the body as sent (not unzipped)."""
    connection = http.client.HTTPConnection("127.0.0.1", varnish.port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_page_goes_out_compressed_to_a_client_that_asks(varnish, backend):
    backend.page("/story/", "story-1")
    varnish.request(path="/story/")

    headers, body = raw_get(varnish, "/story/", {"Accept-Encoding": "gzip"})

    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == b"/story/ version 1"


def test_a_client_that_does_not_ask_gets_the_page_plain(varnish, backend):
    backend.page("/story/", "story-1")
    raw_get(varnish, "/story/", {"Accept-Encoding": "gzip"})  # kept compressed

    headers, body = raw_get(varnish, "/story/", {})

    assert ("content-encoding" not in headers, body) == (True, b"/story/ version 1")
    assert backend.hits_of("/story/") == 1
