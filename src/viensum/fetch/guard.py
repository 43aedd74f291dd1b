"""Which addresses a fetch may reach: the server-side request forgery (SSRF) guard.

A :class:`AddressPolicy` is handed to the :class:`~viensum.fetch.client.Fetcher`,
which checks every URL with it before connecting: the first one and each redirect
hop. :data:`OPEN` is the command line's policy (the user may fetch anything they
name, over http or https); :data:`SERVER` is the web app's: only public addresses,
on the standard ports, unless the operator allows a host explicitly.

A host name is resolved (:func:`resolve`, the one place that asks DNS) and *every*
address it resolves to must be public, so a name pointing at 127.0.0.1 or the cloud
metadata address 169.254.169.254 is refused like the address itself. The Fetcher of a public-only
policy also connects through :func:`network_backend`, which checks again at connect time and
connects to the address it checked (no second lookup for a rebinding DNS server to answer).
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from viensum.errors import BlockedURL

SCHEMES = ("http", "https")
STANDARD_PORTS = frozenset({80, 443})
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})

# the address classes refused, in the order they are named (rules as data)
_CLASSES = (
    ("unspecified", lambda ip: ip.is_unspecified),
    ("loopback", lambda ip: ip.is_loopback),
    ("cloud metadata", lambda ip: str(ip) in METADATA_ADDRESSES),
    ("link-local", lambda ip: ip.is_link_local),
    ("multicast", lambda ip: ip.is_multicast),
    ("reserved", lambda ip: ip.is_reserved),
    ("private", lambda ip: ip.is_private),
    ("non-public", lambda ip: not ip.is_global),
)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this function to fake DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BlockedURL(f"cannot resolve host {host!r} ({exc})") from None
    return sorted({info[4][0] for info in infos})


def address_class(address: str) -> str | None:
    """The refused class of an IP address ("loopback", "private"...), or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return next((name for name, test in _CLASSES if test(ip)), None)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class AddressPolicy:
    """What may be fetched.

    ``public_only``: refuse hosts that are or resolve to a non-public address;
    ``ports``: the ports allowed (None: any); ``allowed_hosts``: host names (or
    ``*.example.org`` suffixes) the operator trusts, exempt from the address and port rules.
    """

    public_only: bool = True
    ports: frozenset[int] | None = STANDARD_PORTS
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def server(cls, allowed_hosts: Iterable[str] = ()) -> "AddressPolicy":
        return cls(allowed_hosts=frozenset(h.strip().lower() for h in allowed_hosts if h.strip()))

    def allowed(self, host: str) -> bool:
        return any(host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in self.allowed_hosts)

    def public_addresses(self, host: str, port: int, url: str | None = None) -> list[str]:
        """Every address ``host`` resolves to, all public (else :class:`BlockedURL` naming the first that is not)."""
        addresses = [host] if _is_ip(host) else resolve(host, port)
        for address in addresses:
            kind = address_class(address)
            if kind:
                via = "" if address == host else f" ({host} resolves to {address})"
                raise BlockedURL(f"refused: a {kind} address{via}; this server fetches public sites only", url)
        return addresses

    def check(self, url: str) -> None:
        """Raise :class:`BlockedURL` with the reason unless ``url`` may be fetched."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedURL(f"not a valid URL ({exc})", url) from None
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if scheme not in SCHEMES:
            raise BlockedURL(f"only http and https links can be fetched, not {scheme or 'this'}:", url)
        if not host:
            raise BlockedURL("the link has no host name", url)
        if parts.username or parts.password:
            raise BlockedURL("links with a user name or password are not fetched", url)
        if self.allowed(host):
            return
        port = port or (443 if scheme == "https" else 80)
        if self.public_only:
            self.public_addresses(host, port, url)
        if self.ports is not None and port not in self.ports:
            raise BlockedURL(f"port {port} is not allowed (only {', '.join(map(str, sorted(self.ports)))})", url)


def network_backend(policy: AddressPolicy):
    """An httpcore network backend that connects only to addresses the policy allows, resolved and
    checked at connect time and then connected to by address: a DNS answer that changes between
    :meth:`AddressPolicy.check` and the connection (DNS rebinding) cannot reach a private address.
    TLS still verifies the host name (httpcore takes it from the URL, not the socket)."""
    import httpcore

    class GuardedBackend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            name = host.decode("ascii") if isinstance(host, bytes) else host
            if policy.public_only and not policy.allowed(name.lower()):
                name = policy.public_addresses(name, port)[0]
            return super().connect_tcp(name, port, timeout, local_address, socket_options)

    return GuardedBackend()


OPEN = AddressPolicy(public_only=False, ports=None)   # the CLI and the Python API: anything the user names
SERVER = AddressPolicy()                              # the web app: public addresses on ports 80/443
