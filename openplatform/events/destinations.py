"""Where a webhook may go: the platform must never be turned against its own network (SSRF).

A URL is checked when an endpoint is saved and again before every POST, after DNS resolution;
the POST then connects to the address that was checked, so a name that resolves differently a
moment later (DNS rebinding) gains nothing. Production apps reach only public (global)
addresses over https. A sandbox app may also use http and https on the loopback interface,
for a receiver on the developer's own machine; never a private, link-local or metadata address.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from openplatform.errors import DomainError
from openplatform.events.errors import WebhookError

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(DomainError):
    code = WebhookError.WEBHOOK_URL_REFUSED


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    target: str  # path and query, what goes on the request line
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def _refuse(message: str) -> RefusedDestination:
    return RefusedDestination(message, field="url")


def _parse(url: str, *, sandbox: bool):
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise _refuse(_("Enter an https:// URL."))
    if parts.username or parts.password:
        raise _refuse(_("Remove the user name and password from the URL."))
    if parts.scheme == "http" and not (sandbox and host in LOOPBACK_NAMES):
        raise _refuse(_("Use https: plain http is allowed only for sandbox apps on "
                        "localhost."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise _refuse(_("The URL's port is not valid.")) from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port, target


def _address_allowed(address: IpAddress, *, sandbox: bool) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return sandbox
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(_("The host name %(host)s does not resolve.") % {"host": host}) from None
    return tuple(dict.fromkeys(info[4][0] for info in infos))


def check_addresses(addresses: tuple[str, ...], *, host: str, sandbox: bool) -> None:
    """Refuse unless every address is one the app may reach (one bad answer spoils all)."""
    for text in addresses:
        if not _address_allowed(ipaddress.ip_address(text.split("%")[0]), sandbox=sandbox):
            raise _refuse(_("%(host)s resolves to %(address)s, which is not a public address: "
                            "webhooks go to public https URLs only.")
                          % {"host": host, "address": text})


def literal_address(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, *, sandbox: bool) -> None:
    """The check made when an endpoint is saved. A name that does not resolve yet is let
    through: every send resolves and checks again."""
    _scheme, host, port, _target = _parse(url, sandbox=sandbox)
    address = literal_address(host)
    if address is not None:
        check_addresses((str(address),), host=host, sandbox=sandbox)
        return
    try:
        addresses = _resolve(host, port)
    except RefusedDestination:
        return
    check_addresses(addresses, host=host, sandbox=sandbox)


def resolve(url: str, *, sandbox: bool) -> Destination:
    """The checked destination of ``url``; raises RefusedDestination before any connection."""
    scheme, host, port, target = _parse(url, sandbox=sandbox)
    address = literal_address(host)
    addresses = (str(address),) if address is not None else _resolve(host, port)
    check_addresses(addresses, host=host, sandbox=sandbox)
    return Destination(scheme=scheme, host=host, port=port, target=target, addresses=addresses)
