"""Helpers for thin views: run a domain action and turn a refusal into a message on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError


def attempt(request: HttpRequest, action: Callable[[], Any], success: str | None = None) -> tuple[bool, Any]:
    """Run `action`; on a DomainError show its message and report failure (nothing was changed)."""
    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.message)
        return False, error
    if success:
        messages.success(request, success)
    return True, result
