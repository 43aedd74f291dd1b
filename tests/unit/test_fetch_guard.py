"""The SSRF guard: every non-public address class is refused, directly, through a DNS name,
and after a redirect; ports and schemes; the operator's allow-list."""
from __future__ import annotations

import pytest
from webserver import article_html

from viensum.errors import BlockedURL
from viensum.fetch import OPEN, SERVER, AddressPolicy, Fetcher, NetLimits
from viensum.fetch import guard

REFUSED = {
    "127.0.0.1": "loopback", "127.8.9.10": "loopback", "::1": "loopback",
    "10.1.2.3": "private", "172.16.0.9": "private", "192.168.1.1": "private", "fd12::1": "private",
    "169.254.169.254": "cloud metadata", "169.254.10.10": "link-local", "fe80::1": "link-local",
    "0.0.0.0": "unspecified", "::": "unspecified",
    "224.0.0.1": "multicast", "ff02::1": "multicast",
    "240.0.0.1": "reserved", "100.64.0.1": "non-public", "::ffff:127.0.0.1": "loopback",
}



@pytest.mark.parametrize("address,kind", REFUSED.items())
def test_every_non_public_address_class_is_refused(address, kind):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(BlockedURL, match=f"a {kind} address"):
        SERVER.check(f"http://{host}/page.html")


@pytest.mark.parametrize("address,kind", REFUSED.items())
def test_a_name_resolving_to_a_non_public_address_is_refused(dns, address, kind):
    dns["news.example.com"] = ["93.184.216.34", address]  # one bad address is enough
    with pytest.raises(BlockedURL, match=f"a {kind} address \\(news.example.com resolves to {address}"):
        SERVER.check("https://news.example.com/a.html")


def test_a_public_name_passes(dns):
    dns["vnexpress.net"] = ["111.65.248.132"]
    SERVER.check("https://vnexpress.net/a.html")
    assert guard.address_class("8.8.8.8") is None


@pytest.mark.parametrize("url,reason", [
    ("file:///etc/passwd", "only http and https"), ("ftp://example.com/x", "only http and https"),
    ("gopher://example.com/", "only http and https"), ("http://example.com:8080/", "port 8080 is not allowed"),
    ("https://example.com:22/", "port 22 is not allowed"), ("http:///nohost", "no host name"),
    ("http://user:pw@example.com/", "user name or password"),
])
def test_schemes_ports_and_credentials_are_refused(dns, url, reason):
    dns["example.com"] = ["93.184.216.34"]
    with pytest.raises(BlockedURL, match=reason):
        SERVER.check(url)


def test_the_command_line_policy_fetches_what_the_user_names():
    OPEN.check("http://127.0.0.1:8080/a.html")
    OPEN.check("http://192.168.1.5/a.html")
    with pytest.raises(BlockedURL):
        OPEN.check("file:///etc/passwd")


def test_the_operator_allow_list(dns):
    dns["intranet.local"] = ["10.0.0.5"]
    dns["news.intranet.local"] = ["10.0.0.6"]
    policy = AddressPolicy.server(["intranet.local", "*.intranet.local"])
    policy.check("http://intranet.local:8080/a.html")
    policy.check("http://news.intranet.local/a.html")
    with pytest.raises(BlockedURL):
        policy.check("http://127.0.0.1/a.html")


def test_the_fetcher_refuses_before_connecting_and_after_each_redirect(web, dns):
    dns["localhost"] = ["127.0.0.1"]
    dns["evil.test"] = ["127.0.0.1"]
    port = web.port
    web.expect_request("/to-loopback").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/secret"})
    web.expect_request("/to-metadata").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    web.expect_request("/to-name").respond_with_data(
        "", status=302, headers={"Location": f"http://evil.test:{port}/secret"})
    web.expect_request("/to-private").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.1/admin"})
    web.expect_request("/secret").respond_with_data(article_html("Bí mật"), content_type="text/html")
    # the operator trusts 127.0.0.1 (the test server stands for a public site); nothing else non-public
    policy = AddressPolicy.server(["127.0.0.1"])
    with Fetcher(policy, NetLimits(robots=False)) as f:
        with pytest.raises(BlockedURL, match="a loopback address"):
            f.get(f"http://127.0.0.2:{port}/secret")
        with pytest.raises(BlockedURL, match="evil.test resolves to 127.0.0.1"):
            f.get("http://evil.test/secret")
        with pytest.raises(BlockedURL, match="localhost resolves to 127.0.0.1"):
            f.get(web.url_for("/to-loopback"))
        with pytest.raises(BlockedURL, match="cloud metadata address"):
            f.get(web.url_for("/to-metadata"))
        with pytest.raises(BlockedURL, match="evil.test resolves to 127.0.0.1"):
            f.get(web.url_for("/to-name"))
        with pytest.raises(BlockedURL, match="a private address"):
            f.get(web.url_for("/to-private"))
        assert "Bí mật" in f.get(web.url_for("/secret")).text()  # the allowed host itself works
    assert [r.path for r, _ in web.log] == ["/to-loopback", "/to-metadata", "/to-name", "/to-private", "/secret"]


def test_a_dns_answer_that_changes_after_the_check_cannot_reach_a_private_address(web, monkeypatch):
    """DNS rebinding: the name is public when the URL is checked, loopback when the client connects."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    monkeypatch.setattr(guard, "resolve", lambda host, port: next(answers))
    web.expect_request("/secret").respond_with_data("secret", content_type="text/html")
    with Fetcher(AddressPolicy(ports=None), NetLimits(robots=False)) as f:
        with pytest.raises(BlockedURL, match="rebind.test resolves to 127.0.0.1"):
            f.get(f"http://rebind.test:{web.port}/secret")
    assert web.log == []


def test_the_connection_goes_to_the_address_the_guard_checked(web, monkeypatch):
    """No second lookup: a name only the guard can resolve is reached at the address it approved."""
    monkeypatch.setattr(guard, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(guard, "address_class", lambda address: None)  # pretend 127.0.0.1 is public
    web.expect_request("/page.html").respond_with_data(article_html("Trang"), content_type="text/html")
    with Fetcher(AddressPolicy(ports=None), NetLimits(robots=False)) as f:
        page = f.get(f"http://only-the-guard-knows.invalid:{web.port}/page.html")
    assert "Trang" in page.text()
    assert web.log[0][0].headers["Host"] == f"only-the-guard-knows.invalid:{web.port}"  # the name, not the IP
