"""One error type for refused actions: a stable code for the API and a translated message for people."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An action refused for a reason the user can act on. Raised before anything is changed."""

    status = 400

    def __init__(self, code: str, message: Any, **details: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
