from django.conf import settings


def site(request) -> dict:
    from comuna.participation.notifications import unread_count

    user = getattr(request, "user", None)
    return {"site_name": "Comuna", "languages": settings.LANGUAGES,
            "unread_notifications": unread_count(user) if user is not None else 0}
