"""Local spheres and networks as ActivityPub actors, and the remote actors we learn about."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from comuna.spheres.models import Sphere

from . import conf, transport
from .activities import AS_CONTEXT, SECURITY_CONTEXT
from .models import ActorKey, RemoteActor
from .signatures import generate_key_pair, load_private_key

ACTOR_TYPES = {"Application", "Group", "Organization", "Person", "Service"}
MAX_URL = 500  # the length of the URL columns
MAX_HOST = 255


def absolute(path: str) -> str:
    return conf.base_url() + path


def actor_id(sphere: Sphere) -> str:
    return absolute(reverse("federation:actor", args=[sphere.slug]))


def key_id(sphere: Sphere) -> str:
    return actor_id(sphere) + "#main-key"


def inbox_url(sphere: Sphere) -> str:
    return absolute(reverse("federation:inbox", args=[sphere.slug]))


def outbox_url(sphere: Sphere) -> str:
    return absolute(reverse("federation:outbox", args=[sphere.slug]))


def followers_url(sphere: Sphere) -> str:
    return absolute(reverse("federation:followers", args=[sphere.slug]))


def local_sphere_for(uri: str) -> Sphere | None:
    """The local sphere whose actor id is `uri`, if any."""
    prefix = absolute(reverse("federation:actor", args=["__slug__"])).split("__slug__")[0]
    if not uri.startswith(prefix):
        return None
    return Sphere.objects.filter(slug=uri[len(prefix):].strip("/")).first()


def actor_key(sphere: Sphere) -> ActorKey:
    """The sphere's key pair, made on first use (two requests racing both make one; the first stored wins)."""
    existing = ActorKey.objects.filter(sphere=sphere).first()
    if existing:
        return existing
    public_pem, private_encrypted = generate_key_pair()
    try:
        with transaction.atomic():
            return ActorKey.objects.create(sphere=sphere, public_key_pem=public_pem,
                                           private_key_encrypted=private_encrypted)
    except IntegrityError:
        return ActorKey.objects.get(sphere=sphere)


def private_key(sphere: Sphere) -> rsa.RSAPrivateKey:
    return load_private_key(actor_key(sphere).private_key_encrypted)


def actor_document(sphere: Sphere) -> dict:
    """The actor a sphere (type Group) or a network (type Organization) is to other instances."""
    url = absolute(sphere.get_absolute_url())
    return {
        "@context": [AS_CONTEXT, SECURITY_CONTEXT, {"manuallyApprovesFollowers": "as:manuallyApprovesFollowers"}],
        "id": actor_id(sphere),
        "type": "Organization" if sphere.is_network else "Group",
        "preferredUsername": sphere.slug,
        "name": sphere.name_en,
        "nameMap": {lang: value for lang, value in
                    (("en", sphere.name_en), ("fr", sphere.name_fr), ("es", sphere.name_es)) if value},
        "summary": sphere.get_kind_display(),
        "url": url,
        "inbox": inbox_url(sphere),
        "outbox": outbox_url(sphere),
        "followers": followers_url(sphere),
        "manuallyApprovesFollowers": False,
        "publicKey": {"id": key_id(sphere), "owner": actor_id(sphere), "publicKeyPem": actor_key(sphere).public_key_pem},
    }


# --- Remote actors ----------------------------------------------------------------------------------------------

def host_of(uri: str) -> str:
    return urlsplit(uri).netloc.lower()


def _same_host(uri: str, host: str) -> bool:
    return (isinstance(uri, str) and len(uri) <= MAX_URL and host_of(uri) == host
            and urlsplit(uri).scheme in {"http", "https"})


def _parse_actor(document: dict, uri: str) -> dict:
    """The fields we keep from an actor document, after checking they belong to the host that served it."""
    host = host_of(uri)
    key = document.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    checks = [
        document.get("id") == uri and len(uri) <= MAX_URL and 0 < len(host) <= MAX_HOST,
        document.get("type") in ACTOR_TYPES,
        _same_host(document.get("inbox"), host),
        isinstance(key, dict) and key.get("owner") == uri and _same_host(key.get("id"), host),
        isinstance(key, dict) and isinstance(key.get("publicKeyPem"), str) and len(key["publicKeyPem"]) < 10_000,
    ]
    if not all(checks):
        raise transport.FetchError("actor_malformed")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    shared = endpoints.get("sharedInbox", "")
    outbox = document.get("outbox", "")
    return {
        "host": host,
        "actor_type": document["type"],
        "preferred_username": str(document.get("preferredUsername") or "")[:200],
        "name": str(document.get("name") or "")[:300],
        "inbox": document["inbox"],
        "shared_inbox": shared if _same_host(shared, host) else "",
        "outbox": outbox if _same_host(outbox, host) else "",
        "key_id": key["id"],
        "public_key_pem": key["publicKeyPem"],
        "fetched_at": timezone.now(),
    }


def fetch_remote_actor(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The remote actor at `uri`, from the cache while fresh, otherwise fetched (and its cache entry updated)."""
    uri = strip_fragment(uri)
    if local_sphere_for(uri) is not None or host_of(uri) == conf.host().lower():
        raise transport.FetchError("actor_is_local")
    cached = RemoteActor.objects.filter(uri=uri).first()
    fresh_since = timezone.now() - timedelta(seconds=conf.ACTOR_CACHE_SECONDS)
    if cached and not refresh and cached.fetched_at >= fresh_since:
        return cached
    fields = _parse_actor(transport.get_json(uri), uri)
    actor, _ = RemoteActor.objects.update_or_create(uri=uri, defaults=fields)
    return actor


def strip_fragment(uri: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
