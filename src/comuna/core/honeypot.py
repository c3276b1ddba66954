"""A field that people never see and bulk spammers fill in: any form post carrying it is refused."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

FIELD = "website"


class HoneypotMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method == "POST" and not request.path.startswith("/api/") and request.POST.get(FIELD):
            return render(request, "core/error.html", {
                "title": _("Not sent"),
                "message": _("This form was filled in automatically, so it was not sent. If you are a person, "
                             "reload the page and try again."),
            }, status=400)
        return self.get_response(request)
