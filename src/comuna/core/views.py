from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from comuna.spheres.models import Sphere, SphereKind


def home(request: HttpRequest) -> HttpResponse:
    roots = Sphere.objects.filter(parent__isnull=True).exclude(kind=SphereKind.NETWORK).annotate(
        child_count=Count("children"))
    networks = Sphere.objects.filter(kind=SphereKind.NETWORK).annotate(member_count=Count("memberships"))
    return render(request, "core/home.html", {"roots": roots, "networks": networks})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        from comuna.api.errors import error_response

        return error_response("rate_limited", _("Too many requests. Wait a minute and try again."), status=429)
    return render(request, "core/error.html", {"title": _("Too many requests"),
                  "message": _("Too many requests. Wait a minute and try again.")}, status=429)


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/error.html", {"title": _("Page not found"),
                  "message": _("There is nothing at this address.")}, status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/error.html", {"title": _("Not allowed"),
                  "message": _("You do not have permission to see this page.")}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"title": _("Something went wrong"),
                  "message": _("The error has been logged. Please try again later.")}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/error.html", {"title": _("Form expired"),
                  "message": _("This form has expired or came from another site. Go back, reload the page and try again.")},
                  status=403)
