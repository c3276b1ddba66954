"""Federation settings, read from Django settings first and then from the environment (so a second instance
started as a plain process can be configured without editing settings.py)."""

from __future__ import annotations

import os

from django.conf import settings

TRUE = {"1", "true", "yes", "on"}


def _value(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def _flag(name: str) -> bool:
    value = getattr(settings, name, None)
    if value is None:
        return os.environ.get(name, "").strip().lower() in TRUE
    return bool(value)


def base_url() -> str:
    """Scheme and host every actor id starts with, e.g. https://comuna.example.org (no trailing slash)."""
    configured = _value("COMUNA_FEDERATION_BASE_URL").rstrip("/")
    if configured:
        return configured
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS and settings.ALLOWED_HOSTS[0] != "*" else "localhost"
    return f"https://{host.lstrip('.')}"


def host() -> str:
    """The host part of base_url (with its port when not the default), as used in handles slug@host."""
    return base_url().split("://", 1)[1]


def allow_http() -> bool:
    """Plain http to other instances: only for loopback tests and development."""
    return _flag("COMUNA_FEDERATION_ALLOW_HTTP")


def allow_private_addresses() -> bool:
    """Fetching or delivering to loopback and private addresses: only for tests and development."""
    return _flag("COMUNA_FEDERATION_ALLOW_PRIVATE_ADDRESSES")


def deliver_now() -> bool:
    """Deliver outgoing activities as soon as their transaction commits, instead of waiting for the queue runner."""
    return _flag("COMUNA_FEDERATION_DELIVER_NOW")


SIGNATURE_WINDOW_SECONDS = 300  # how far a request's Date may be from our clock
INBOX_MAX_BYTES = 256 * 1024
FETCH_MAX_BYTES = 256 * 1024
HTTP_TIMEOUT_SECONDS = 10
ACTOR_CACHE_SECONDS = 24 * 3600
MAX_DELIVERY_ATTEMPTS = 8
