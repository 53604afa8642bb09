"""Where a host name points: the public internet, or this machine and its network.

A public page must not be able to send us, by a redirect, into the user's machine or LAN (a router's admin
page, a cloud's metadata service at 169.254.169.254): what we fetch ends up stored and shown.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

__all__ = ["Resolver", "resolve", "addresses_of", "is_local", "kind_of"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses it resolves to (empty if it does not resolve)
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, as the system resolver gives them (an IP literal is itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return [str(info[4][0]) for info in infos]


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address


def kind_of(text: str) -> str | None:
    """Why an address is not public ("loopback", "link-local", "private", ...), or None if it is public."""
    address = _address(text)
    if address is None:
        return None
    for kind, hit in (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
                      ("link-local", address.is_link_local), ("private", address.is_private),
                      ("multicast", address.is_multicast), ("reserved", address.is_reserved)):
        if hit:
            return kind
    return None if address.is_global else "not public"


def addresses_of(host: str, port: int, resolver: Resolver = resolve) -> list[str]:
    """An IP literal as itself, a name through the resolver."""
    literal = _address(host.strip("[]"))
    return [str(literal)] if literal is not None else resolver(host, port)


def is_local(host: str, port: int, resolver: Resolver = resolve) -> bool:
    """True if every address of the host is on this machine or its network (a URL typed as local)."""
    addresses = addresses_of(host, port, resolver)
    return bool(addresses) and all(kind_of(a) is not None for a in addresses)
