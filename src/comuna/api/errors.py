"""One JSON error shape everywhere in the API: {"code": ..., "message": ..., "details": {...}}."""

from __future__ import annotations

import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from comuna.core.errors import DomainError

logger = logging.getLogger("comuna.api")


def error_response(code: str, message: str, *, status: int, details: dict | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message), "details": details or {}}, status=status)


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable, for programs: e.g. not_found, forbidden, rate_limited"},
        "message": {"type": "string", "description": "Translated, for people"},
        "details": {"type": "object"},
    },
    "required": ["code", "message", "details"],
}
ERROR_DESCRIPTIONS = {
    "400": "The request cannot be carried out (see code and message)",
    "401": "Sign in or send a valid API token",
    "403": "Not allowed (or the CSRF check failed on a session request)",
    "404": "Not found",
    "409": "In conflict with the current state",
    "422": "The request is not valid (see details.errors)",
    "429": "Too many requests",
}
WRITES = {"post", "put", "patch", "delete"}


def document_errors(schema: dict) -> dict:
    """Declare in the OpenAPI document the error answers the handlers below give to every operation, so clients
    (and schema checkers) know their shape: 400/403/404/422 anywhere, 401 where a caller must be identified,
    409/429 on writes. Operations that already declare a code keep their own description."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = ["400", "403", "404", "422"]
            if operation.get("security"):
                codes.append("401")
            if method in WRITES:
                codes += ["409", "429"]
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code], "content": reference})
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    generate = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        return document_errors(generate(*args, **kwargs))

    api.get_openapi_schema = get_openapi_schema  # routers are added after this call: document them when asked

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error_response(exc.code, exc.message, status=exc.status, details=exc.details)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = [{"location": ".".join(str(p) for p in e.get("loc", [])), "problem": e.get("msg", "")} for e in exc.errors]
        return error_response("invalid_request", _("The request is not valid."), status=422, details={"errors": fields})

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return error_response("not_authenticated", _("Sign in or send a valid API token."), status=401)

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        return error_response("forbidden", _("You are not allowed to do this."), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response("not_found", _("Not found."), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_response(f"http_{exc.status_code}", str(exc), status=exc.status_code)

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        logger.exception("Unexpected API error on %s", request.path)
        return error_response("server_error", _("Something went wrong on our side."), status=500)
