"""Who a request is from: the client's address behind trusted reverse proxies only
(``FPA_TRUSTED_PROXIES``), whether it is this machine (the local demo mode serves no one else),
and what uvicorn itself already believes of X-Forwarded-For (``FORWARDED_ALLOW_IPS``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from analytics import settings
from analytics.auth.roles import AuthError

ALLOW_OPEN_DEMO_ENV: Final = settings.ALLOW_OPEN_DEMO.name
TRUSTED_PROXIES_ENV: Final = settings.TRUSTED_PROXIES.name


def is_loopback(address: str | None) -> bool:
    """Whether an address is on this machine only (127.0.0.0/8, ::1, localhost). An empty address
    means every interface (Streamlit's default server address), so it is not loopback."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: it may resolve to anything


def open_demo_allowed(env: Mapping[str, str] | None = None) -> bool:
    return settings.allow_open_demo(env)


Network = settings.Network

# Headers a proxy adds. Any of them on a request means something stands between the browser and
# the server, whatever the TCP peer looks like (a proxy on this machine connects from loopback).
PROXY_HEADERS: Final = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-proto", "via")
# What uvicorn (Streamlit's server since 1.5x) trusts X-Forwarded-For from before our code runs:
# it puts the forwarded address in place of the peer's (env FORWARDED_ALLOW_IPS, else loopback).
_SERVER_TRUSTS_ENV: Final = "FORWARDED_ALLOW_IPS"
_SERVER_TRUSTS_DEFAULT: Final = "127.0.0.1,::1"
# the key of every request forwarded by a proxy we were not told to trust: one lockout for all of
# them (not rotatable through a header), and what the audit log names as the client
UNTRUSTED_PROXY: Final = "untrusted-proxy"


def trusted_proxies(env: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    """The reverse proxies whose X-Forwarded-For is believed: ``FPA_TRUSTED_PROXIES``, addresses or
    networks separated by commas (``127.0.0.1,::1``, ``10.0.0.0/24``). Unset: none, and forwarded
    headers are never believed. A bad entry is an error naming it (the app then shows no pages)."""
    try:
        return settings.trusted_proxies(env)
    except settings.SettingError as error:  # the app shows an auth problem and no pages
        raise AuthError(str(error)) from None


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy writes it ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::1"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has two colons or more
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # an IPv4 address written as IPv6 (::ffff:1.2.3.4) is that IPv4 address
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


def _within(text: str | None, networks: Sequence[Network]) -> bool:
    if text is None:  # Streamlit reports 127.0.0.1 and ::1 as None
        return any(_ip(a) in n for a in ("127.0.0.1", "::1") for n in networks)
    address = _ip(text)
    return address is not None and any(address in n for n in networks)


@dataclass(frozen=True)
class Client:
    """Who a request is from, as far as the server can tell.

    ``address`` is what the audit log records and the per-address lockout counts (None: this
    machine, as Streamlit reports a loopback peer); ``local`` is whether the request really
    comes from this machine, which is what the local demo mode serves; ``why`` says how it was
    decided (for the refusal's message and the tests).
    """

    address: str | None
    local: bool
    why: Literal["direct", "trusted_proxy", "untrusted_proxy", "proxy_without_client"]


def resolve_client(
    peer: str | None,
    headers: Sequence[tuple[str, str]],
    trusted: Sequence[Network] = (),
    *,
    server_trusts: Sequence[Network] | None = None,
) -> Client:
    """Decide who a request is from: ``peer`` is the address Streamlit reports
    (``st.context.ip_address``, None for loopback), ``headers`` the request's headers (every
    value of a repeated one), ``trusted`` the configured proxies (:func:`trusted_proxies`).

    * No proxy header: the peer is the client; local when it is loopback.
    * Proxy headers but no trusted proxy configured: X-Forwarded-For is ignored. The client is
      never local (a proxy on this machine forwards strangers), and when the reported peer may be
      one the server took from X-Forwarded-For (see below) every such request shares one key
      (``UNTRUSTED_PROXY``), so a header cannot pick a fresh lockout per attempt.
    * Trusted proxies configured and the peer one of them: the client is the right-most address
      of X-Forwarded-For that is not a trusted proxy (every hop trusted: the left-most); local
      only when that address is loopback. A proxy header without X-Forwarded-For names nobody:
      not local.

    uvicorn, under Streamlit, already replaces the peer with an X-Forwarded-For address when the
    peer is in ``server_trusts`` (``FORWARDED_ALLOW_IPS``, default loopback). The peer we see is
    then one of the forwarded addresses and the real peer was one of ``server_trusts``: it counts
    as trusted only when every address the server trusts is one of ``trusted`` too.
    """
    names = {name.lower() for name, _ in headers}
    if not names & set(PROXY_HEADERS):
        return Client(peer, peer is None or is_loopback(peer), "direct")
    hops = [
        hop.strip()
        for name, value in headers
        if name.lower() == "x-forwarded-for"
        for hop in value.split(",")
        if hop.strip()
    ]
    if server_trusts is None:
        server_trusts = _server_trusts()
    hop_ips = {_ip(h) for h in hops} - {None}
    reported = _ip(peer) if peer is not None else None
    # the peer uvicorn reports may be a hop it promoted (Streamlit reports a loopback hop as None)
    promoted = bool(hops) and (
        reported in hop_ips if peer is not None else bool(hop_ips & {_ip("127.0.0.1"), _ip("::1")})
    )
    if promoted:
        peer_trusted = bool(trusted) and all(_covered(n, trusted) for n in server_trusts)
    else:
        peer_trusted = _within(peer, trusted)
    if not peer_trusted:
        # a real remote peer keeps its own key; a loopback or promoted one stands for the proxy
        return Client(peer if peer is not None and not promoted else UNTRUSTED_PROXY, False, "untrusted_proxy")
    if not hops:
        return Client(peer if peer is not None else UNTRUSTED_PROXY, False, "proxy_without_client")
    client = next((h for h in reversed(hops) if not _within(h, trusted)), hops[0])
    address = _ip(client)
    text = str(address) if address is not None else client[:64]  # not an address: kept short for the log
    return Client(text, address is not None and address.is_loopback, "trusted_proxy")


def _covered(network: Network, trusted: Sequence[Network]) -> bool:
    return any(network.version == t.version and network.subnet_of(t) for t in trusted)  # type: ignore[arg-type]


def _server_trusts(env: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    value = (os.environ if env is None else env).get(_SERVER_TRUSTS_ENV, _SERVER_TRUSTS_DEFAULT)
    out: list[Network] = []
    for entry in (e.strip() for e in value.split(",")):
        if entry == "*":  # the server believes anyone: nobody's forwarded address can be checked
            return (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
        with contextlib.suppress(ValueError):  # a unix socket path or a host name: not an address
            out.append(ipaddress.ip_network(entry, strict=False))
    return tuple(out)
