"""Who a request is from (analytics.auth.resolve_client): the local demo mode serves only clients
on this machine, X-Forwarded-For counts only from a configured trusted proxy, and the per-address
sign-in lockout cannot be rotated through a header.

``peer`` is what Streamlit reports as ``st.context.ip_address``: None for 127.0.0.1 and ::1, and,
under uvicorn's defaults, the X-Forwarded-For address instead of a loopback peer's own.
"""

from __future__ import annotations

import pytest

from analytics import auth as core

LOCAL = core.trusted_proxies({"FPA_TRUSTED_PROXIES": "127.0.0.1,::1"})
SERVER_DEFAULT = core._server_trusts({})  # uvicorn's default: it believes X-Forwarded-For from loopback
XFF = "X-Forwarded-For"


def resolve(peer: str | None, headers: list[tuple[str, str]], trusted=()) -> core.Client:
    return core.resolve_client(peer, headers, trusted, server_trusts=SERVER_DEFAULT)


# ---------------------------------------------------------------- the setting


def test_no_setting_trusts_no_proxy() -> None:
    assert core.trusted_proxies({}) == ()
    assert core.trusted_proxies({"FPA_TRUSTED_PROXIES": " "}) == ()


def test_addresses_and_networks() -> None:
    nets = core.trusted_proxies({"FPA_TRUSTED_PROXIES": "127.0.0.1, ::1,10.0.0.0/24,[fd00::1]"})
    assert [str(n) for n in nets] == ["127.0.0.1/32", "::1/128", "10.0.0.0/24", "fd00::1/128"]


def test_a_bad_entry_names_the_setting_and_the_entry() -> None:
    with pytest.raises(core.AuthError, match=r"FPA_TRUSTED_PROXIES: 'proxy\.intranet' is not an IP address"):
        core.trusted_proxies({"FPA_TRUSTED_PROXIES": "127.0.0.1,proxy.intranet"})


# ---------------------------------------------------------------- no proxy header: the peer decides


@pytest.mark.parametrize(
    ("peer", "local"),
    [(None, True), ("127.0.1.1", True), ("::1", True), ("10.1.2.3", False), ("198.51.100.23", False)],
)
def test_without_proxy_headers_the_peer_is_the_client(peer: str | None, local: bool) -> None:
    client = resolve(peer, [("Host", "x"), ("User-Agent", "y")])
    assert (client.address, client.local, client.why) == (peer, local, "direct")
    # configuring a proxy changes nothing for a request that does not come through one
    assert resolve(peer, [("Host", "x")], LOCAL).local is local


# ---------------------------------------------------------------- the case


def test_a_forwarded_stranger_through_a_loopback_proxy_is_not_local() -> None:
    """Issue 18, case 6: a proxy on this machine forwards 198.51.100.23. uvicorn reports the
    forwarded address (it believes loopback by default), or None if the proxy claims loopback."""
    for peer, xff in [("198.51.100.23", "198.51.100.23"), (None, "127.0.0.1"), (None, "::1")]:
        untrusted = resolve(peer, [(XFF, xff)])
        assert not untrusted.local and untrusted.why == "untrusted_proxy", (peer, xff)
    trusted = resolve("198.51.100.23", [(XFF, "198.51.100.23")], LOCAL)
    assert (trusted.address, trusted.local, trusted.why) == ("198.51.100.23", False, "trusted_proxy")


@pytest.mark.parametrize("header", ["Forwarded", "X-Real-IP", "Via", "X-Forwarded-Host", "X-Forwarded-Proto"])
def test_any_forwarding_header_without_a_trusted_proxy_is_not_local(header: str) -> None:
    client = resolve(None, [(header, "for=127.0.0.1" if header == "Forwarded" else "127.0.0.1")])
    assert not client.local and client.why == "untrusted_proxy"


def test_a_trusted_proxy_that_names_nobody_is_not_local() -> None:
    """nginx with only X-Real-IP: the peer is the proxy; the visitor is unknown, so not local."""
    client = resolve(None, [("X-Real-IP", "127.0.0.1")], LOCAL)
    assert not client.local and client.why == "proxy_without_client"


def test_a_local_browser_through_a_trusted_local_proxy_is_local() -> None:
    client = resolve(None, [(XFF, "127.0.0.1")], LOCAL)
    assert client.local and client.why == "trusted_proxy"


# ---------------------------------------------------------------- the right-most untrusted address


def test_a_spoofed_first_hop_does_not_make_a_stranger_local() -> None:
    """The browser sends "X-Forwarded-For: 127.0.0.1"; the proxy appends the address it saw."""
    client = resolve("198.51.100.23", [(XFF, "127.0.0.1, 198.51.100.23")], LOCAL)
    assert (client.address, client.local) == ("198.51.100.23", False)


def test_the_client_is_the_rightmost_address_that_is_not_a_trusted_proxy() -> None:
    trusted = core.trusted_proxies({"FPA_TRUSTED_PROXIES": "127.0.0.1,::1,10.0.0.0/24"})
    headers = [(XFF, "203.0.113.9, 198.51.100.23"), (XFF, "10.0.0.7")]  # two proxies, two headers
    client = resolve("10.0.0.7", headers, trusted)
    assert (client.address, client.local) == ("198.51.100.23", False)


def test_a_remote_trusted_proxy_the_server_does_not_rewrite_for() -> None:
    """A proxy on another machine (10.0.0.5): uvicorn leaves its address as the peer."""
    trusted = core.trusted_proxies({"FPA_TRUSTED_PROXIES": "10.0.0.5"})
    client = resolve("10.0.0.5", [(XFF, "198.51.100.23")], trusted)
    assert (client.address, client.local) == ("198.51.100.23", False)
    # from a peer that is not that proxy, the header is not believed: the peer is the client
    other = resolve("10.9.9.9", [(XFF, "127.0.0.1")], trusted)
    assert (other.address, other.local, other.why) == ("10.9.9.9", False, "untrusted_proxy")


def test_a_promoted_peer_counts_as_trusted_only_if_everything_the_server_trusts_is_trusted() -> None:
    """uvicorn promoted a loopback peer's X-Forwarded-For, but only 10.0.0.5 is configured: the
    real peer (on loopback) is not a configured proxy, so the header is not believed."""
    trusted = core.trusted_proxies({"FPA_TRUSTED_PROXIES": "10.0.0.5"})
    client = resolve("198.51.100.23", [(XFF, "198.51.100.23")], trusted)
    assert (client.address, client.local, client.why) == (core.UNTRUSTED_PROXY, False, "untrusted_proxy")


def test_ports_brackets_and_mapped_addresses() -> None:
    client = resolve(None, [(XFF, "[2001:db8::1]:443, 127.0.0.1:5050")], LOCAL)
    assert (client.address, client.local) == ("2001:db8::1", False)
    mapped = resolve(None, [(XFF, "::ffff:127.0.0.1")], LOCAL)
    assert mapped.local
    junk = resolve(None, [(XFF, "unknown")], LOCAL)
    assert (junk.address, junk.local) == ("unknown", False)


# ---------------------------------------------------------------- the lockout key


def test_the_lockout_key_cannot_be_rotated_without_a_trusted_proxy() -> None:
    """Each attempt with a fresh X-Forwarded-For: uvicorn reports each as the peer, but with no
    trusted proxy configured every one of them counts against the same key."""
    keys = {resolve(f"203.0.113.{i}", [(XFF, f"203.0.113.{i}")]).address for i in range(1, 30)}
    assert keys == {core.UNTRUSTED_PROXY}


def test_the_lockout_follows_the_resolved_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eleven failures under rotating forwarded addresses lock the twelfth attempt (10 are free)."""
    now = [1000.0]
    guard = core.SignInGuard(
        by_name=core.RateLimiter(clock=lambda: now[0], cap=0.0),  # the name limiter out of the way
        by_client=core.RateLimiter(clock=lambda: now[0], free=10),
    )
    monkeypatch.setattr(
        core.passwords, "_dummy_hash", lambda: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    )
    for i in range(11):
        client = resolve(f"203.0.113.{i}", [(XFF, f"203.0.113.{i}")]).address
        core.sign_in(core.UsersFile(), f"name{i}", "wrong password", client=client, guard=guard)
    client = resolve("203.0.113.99", [(XFF, "203.0.113.99")]).address
    result = core.sign_in(core.UsersFile(), "another", "wrong password", client=client, guard=guard)
    assert result.reason == "locked" and result.retry_after > 0


def test_server_trusts_follow_uvicorns_setting() -> None:
    assert [str(n) for n in core._server_trusts({})] == ["127.0.0.1/32", "::1/128"]
    assert [str(n) for n in core._server_trusts({"FORWARDED_ALLOW_IPS": "10.0.0.5"})] == ["10.0.0.5/32"]
    assert len(core._server_trusts({"FORWARDED_ALLOW_IPS": "*"})) == 2
