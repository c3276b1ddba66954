"""API authentication: a bearer token for API clients, or the browser's session (with CSRF)."""

from __future__ import annotations

from ninja.security import APIKeyCookie, HttpBearer

from comuna.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, with CSRF checked on unsafe methods (ninja's APIKeyCookie does that with csrf=True)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
AUTH = [token_auth, session_auth]


class OptionalAuth:
    """For public reads: identify the caller if a token or session is present, never refuse."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = user_for_token(header[7:].strip())
            if user is not None:
                request.user = user
        return True
