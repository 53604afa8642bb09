"""Nothing in the suite reaches the internet: only loopback connects, and only local names resolve."""
from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError

from tests.conftest import InternetLookupBlocked


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket.connect")
@pytest.mark.parametrize("address", [("93.184.215.14", 80), ("2606:2800:220:1:248:1893:25c8:1946", 443),
                                     ("192.168.1.1", 80), ("169.254.169.254", 80)])
def test_connecting_anywhere_but_loopback_is_refused(address):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock, pytest.raises(SocketConnectBlockedError):
        sock.settimeout(0.5)
        sock.connect(address)


def test_looking_up_an_internet_name_is_refused():
    with pytest.raises(InternetLookupBlocked):
        socket.getaddrinfo("www.trustpilot.com", 443)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_still_connects(fault_server, host):
    with socket.create_connection((host, fault_server.port), timeout=2) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.0\r\n\r\n")
        assert sock.recv(12).startswith(b"HTTP/1.")


def test_all_of_127_is_loopback_and_allowed(fault_server):
    """Nothing listens on 127.0.0.2, so the kernel refuses: the guard let the connect through."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", fault_server.port), timeout=2).close()
