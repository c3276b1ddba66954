"""Outgoing HTTP to other instances: only http(s), only public addresses (unless configured for loopback tests),
timeouts, no redirects, and a size cap on what we read."""

from __future__ import annotations

import ipaddress
import json
import socket
from urllib.parse import urlsplit

import requests

from . import conf

ACTIVITY_JSON = "application/activity+json"
ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "Comuna federation (+https://comuna.city)"


class FetchError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_url(url: str) -> str:
    """Refuse addresses we must never contact; answer the URL unchanged."""
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if conf.allow_http() else {"https"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise FetchError("url_not_allowed")
    if not conf.allow_private_addresses():
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError("host_unknown") from error
        if not addresses or any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses):
            raise FetchError("address_not_allowed")
    return url


def _read_capped(response: requests.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(16 * 1024):
        size += len(chunk)
        if size > limit:
            raise FetchError("response_too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def get_json(url: str, *, accept: str = ACCEPT) -> dict:
    check_url(url)
    try:
        with requests.get(url, headers={"Accept": accept, "User-Agent": USER_AGENT}, stream=True,
                          allow_redirects=False, timeout=conf.HTTP_TIMEOUT_SECONDS) as response:
            if response.status_code != 200:
                raise FetchError(f"http_{response.status_code}")
            body = _read_capped(response, conf.FETCH_MAX_BYTES)
    except requests.RequestException as error:
        raise FetchError("unreachable") from error
    try:
        document = json.loads(body)
    except ValueError as error:
        raise FetchError("not_json") from error
    if not isinstance(document, dict):
        raise FetchError("not_an_object")
    return document


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    check_url(url)
    try:
        response = requests.post(url, data=body, headers={**headers, "User-Agent": USER_AGENT},
                                 allow_redirects=False, timeout=conf.HTTP_TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise FetchError("unreachable") from error
    response.close()
    return response.status_code


def check_host(url: str) -> str:
    """The host of a URL, for logs (never a path or query, which may name a person)."""
    return urlsplit(url).netloc
