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


def submit(request: HttpRequest, form: Any, action: Callable[[dict], Any], success: str | None,
           invalid: str) -> tuple[bool, Any]:
    """A posted form: when it is valid, `attempt` the action on its cleaned data; when not, say `invalid` (what to
    fill in) and report failure. Either way a failure changes nothing."""
    if not form.is_valid():
        messages.error(request, invalid)
        return False, None
    return attempt(request, lambda: action(form.cleaned_data), success)


def save_form(request: HttpRequest, form: Any, action: Callable[[dict], Any], success: str) -> tuple[bool, int]:
    """An edit page's form: on a valid POST, `attempt` the action on its cleaned data. Returns whether it was done
    (then redirect) and otherwise the status to show the form again with: 200 when nothing was posted, 400 for an
    invalid form, the refusal's own status."""
    if request.method != "POST":
        return False, 200
    if not form.is_valid():
        return False, 400
    done, outcome = attempt(request, lambda: action(form.cleaned_data), success)
    return done, 200 if done else outcome.status
