"""Rate limits for API writes, answered with the API's error shape (HTTP 429)."""

from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from comuna.core.errors import DomainError
from comuna.core.ratelimits import WRITE_RATE


class RateLimited(DomainError):
    status = 429


def limit(request, rate: str = WRITE_RATE, group: str = "api.write") -> None:
    if is_ratelimited(request, group=group, key="user_or_ip", rate=rate, increment=True):
        raise RateLimited("rate_limited", _("Too many requests. Wait a minute and try again."))
