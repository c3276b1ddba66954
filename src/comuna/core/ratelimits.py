"""Rate limits on every write: one place to tune them."""

from django_ratelimit.decorators import ratelimit

WRITE_RATE = "30/m"
VERIFY_RATE = "10/h"  # guessing codes or census details must stay slow


def limit_writes(view=None, *, rate: str = WRITE_RATE):
    decorator = ratelimit(key="user_or_ip", rate=rate, method=["POST", "PUT", "PATCH", "DELETE"], block=True)
    return decorator(view) if view is not None else decorator
