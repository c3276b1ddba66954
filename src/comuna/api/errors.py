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


def install_error_handlers(api: NinjaAPI) -> None:
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
