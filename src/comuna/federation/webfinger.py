"""WebFinger (RFC 7033): acct:<slug>@<host> names a sphere's actor; resolving a handle typed by an official."""

from __future__ import annotations

import re
from urllib.parse import quote

from comuna.spheres.models import Sphere

from . import conf, transport
from .actors import actor_id, fetch_remote_actor
from .models import RemoteActor

HANDLE = re.compile(r"^@?(?P<user>[A-Za-z0-9_.-]{1,80})@(?P<host>[A-Za-z0-9.-]{1,253}(?::\d{1,5})?)$")
JRD = "application/jrd+json"


def local_resource(resource: str) -> Sphere | None:
    """The local sphere that `resource` (acct:slug@host or the actor id) names, if any."""
    resource = resource.strip()
    if resource.startswith("acct:"):
        match = HANDLE.match(resource[5:])
        if not match or match["host"].lower() != conf.host().lower():
            return None
        return Sphere.objects.filter(slug=match["user"]).first()
    return next((sphere for sphere in Sphere.objects.filter(slug=resource.rstrip("/").rsplit("/", 1)[-1])
                 if actor_id(sphere) == resource), None)


def document(sphere: Sphere) -> dict:
    return {
        "subject": f"acct:{sphere.slug}@{conf.host()}",
        "aliases": [actor_id(sphere)],
        "links": [
            {"rel": "self", "type": transport.ACTIVITY_JSON, "href": actor_id(sphere)},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
             "href": conf.base_url() + sphere.get_absolute_url()},
        ],
    }


def resolve_handle(handle: str) -> RemoteActor:
    """slug@host -> the remote actor, through the host's WebFinger then its actor document."""
    match = HANDLE.match(handle.strip())
    if not match:
        raise transport.FetchError("handle_malformed")
    scheme = "http" if conf.allow_http() and not conf.base_url().startswith("https") else "https"
    url = (f"{scheme}://{match['host']}/.well-known/webfinger?resource="
           f"{quote('acct:' + match['user'] + '@' + match['host'])}")
    jrd = transport.get_json(url, accept=JRD)
    links = jrd.get("links") if isinstance(jrd.get("links"), list) else []
    for link in links:
        if (isinstance(link, dict) and link.get("rel") == "self"
                and link.get("type", "").split(";")[0] in {transport.ACTIVITY_JSON, "application/ld+json"}
                and isinstance(link.get("href"), str)):
            return fetch_remote_actor(link["href"])
    raise transport.FetchError("no_actor_link")
