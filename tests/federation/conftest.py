"""A second Comuna instance (B) for federation tests: its own SQLite file in a temporary directory, served by
`comuna serve` on a free loopback port, while instance A is pytest-django's live server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

COMUNA = str(Path(sys.executable).with_name("comuna"))
LOOPBACK_SETTINGS = {
    "COMUNA_FEDERATION_ALLOW_HTTP": True,
    "COMUNA_FEDERATION_ALLOW_PRIVATE_ADDRESSES": True,
    "COMUNA_FEDERATION_DELIVER_NOW": True,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """Instance B: run Python inside it with `run`, which prints one JSON value back."""

    def __init__(self, directory: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.host = f"127.0.0.1:{port}"
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("PYTEST", "DATABASE_URL", "COMUNA_", "DJANGO_"))}
        self.env.update({
            "COMUNA_DATA_DIR": str(directory), "SECRET_KEY": "instance-b-secret-key-for-tests-only",
            "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1", "COMUNA_OFFICIAL_MFA_REQUIRED": "1",
            "COMUNA_FEDERATION_BASE_URL": self.url,
            **{name: "1" for name in LOOPBACK_SETTINGS},
        })
        self.port = port
        self.server: subprocess.Popen | None = None

    def manage(self, *arguments: str) -> str:
        done = subprocess.run([COMUNA, "manage", *arguments], env=self.env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def run(self, code: str):
        """Run `code` in B; the value of its last assignment to `result` comes back as JSON."""
        script = "import json\nresult = None\n" + textwrap.dedent(code) + \
                 "\nprint('RESULT=' + json.dumps(result, default=str))\n"
        output = self.manage("shell", "-c", script)
        line = next(line for line in output.splitlines() if line.startswith("RESULT="))
        return json.loads(line[len("RESULT="):])

    def start(self) -> None:
        self.manage("migrate", "-v0")
        self.server = subprocess.Popen(
            [COMUNA, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "3"], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/.well-known/nodeinfo", timeout=10)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("instance B did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)


@pytest.fixture
def instance_b(tmp_path):
    instance = Instance(tmp_path, free_port())
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def instance_a(live_server, settings, transactional_db):
    """Instance A is the live server; its actor ids use its address."""
    settings.COMUNA_FEDERATION_BASE_URL = live_server.url
    for name, value in LOOPBACK_SETTINGS.items():
        setattr(settings, name, value)
    return live_server


# --- ActivityStreams 2.0 validation ------------------------------------------------------------------------------
# The AS2 context document (https://www.w3.org/ns/activitystreams, as published by the W3C) ships in data/ so
# nothing is fetched; the JSON Schema below is written from the Activity Vocabulary (W3C Recommendation, 2017).

AS2_CONTEXT = json.loads((Path(__file__).parent / "data" / "activitystreams.jsonld").read_text())["@context"]
SECURITY_V1_TERMS = {"publicKey", "owner", "publicKeyPem"}  # the terms of https://w3id.org/security/v1 we use
AS2_TYPES = {term for term, value in AS2_CONTEXT.items() if isinstance(value, str) and value.startswith("as:")
             and term[0].isupper()}
ACTIVITY_TYPES = {"Accept", "Add", "Announce", "Arrive", "Block", "Create", "Delete", "Dislike", "Flag", "Follow",
                  "Ignore", "Invite", "Join", "Leave", "Like", "Listen", "Move", "Offer", "Question", "Reject", "Read",
                  "Remove", "TentativeReject", "TentativeAccept", "Travel", "Undo", "Update", "View"}
ACTOR_TYPES = {"Application", "Group", "Organization", "Person", "Service"}
TRANSITIVE = ACTIVITY_TYPES - {"Arrive", "Travel", "Question"}

_uri = {"type": "string", "pattern": r"^https?://[^\s/]+(/\S*)?$"}
_datetime = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$"}
_uris = {"anyOf": [_uri, {"type": "array", "items": _uri}]}
_ref = {"anyOf": [_uri, {"$ref": "#/$defs/object"}]}
AS2_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$ref": "#/$defs/object",
    "$defs": {
        "object": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "id": _uri, "type": {"type": "string", "enum": sorted(AS2_TYPES)},
                "actor": _ref, "object": _ref, "target": _ref, "attributedTo": _ref, "inReplyTo": _ref,
                "to": _uris, "cc": _uris, "bto": _uris, "bcc": _uris, "audience": _uris,
                "published": _datetime, "updated": _datetime, "deleted": _datetime,
                "startTime": _datetime, "endTime": _datetime,
                "name": {"type": "string"}, "summary": {"type": "string"}, "content": {"type": "string"},
                "nameMap": {"type": "object", "additionalProperties": {"type": "string"}},
                "url": _uris, "inbox": _uri, "outbox": _uri, "followers": _uri, "following": _uri,
                "totalItems": {"type": "integer", "minimum": 0},
                "first": _ref, "last": _ref, "next": _ref, "prev": _ref, "partOf": _ref,
                "orderedItems": {"type": "array", "items": _ref}, "items": {"type": "array", "items": _ref},
                "preferredUsername": {"type": "string"},
            },
            "allOf": [
                {"if": {"properties": {"type": {"enum": sorted(ACTIVITY_TYPES)}}, "required": ["type"]},
                 "then": {"required": ["id", "actor"]}},
                {"if": {"properties": {"type": {"enum": sorted(TRANSITIVE)}}, "required": ["type"]},
                 "then": {"required": ["object"]}},
                {"if": {"properties": {"type": {"enum": sorted(ACTOR_TYPES)}}, "required": ["type"]},
                 "then": {"required": ["id", "inbox", "outbox"]}},
                {"if": {"properties": {"type": {"const": "OrderedCollectionPage"}}, "required": ["type"]},
                 "then": {"required": ["id", "partOf", "orderedItems"]}},
            ],
        },
    },
}


def _terms_of(context) -> tuple[set[str], set[str]]:
    """Terms a document's @context defines, and those among them whose values are opaque JSON (@json)."""
    terms, opaque = set(AS2_CONTEXT) | SECURITY_V1_TERMS, set()
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, dict):
            terms |= set(entry)
            opaque |= {term for term, value in entry.items() if isinstance(value, dict) and value.get("@type") == "@json"}
    return terms, opaque


def _undefined_terms(node, terms: set[str], opaque: set[str], path: str = "$") -> list[str]:
    problems = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += _undefined_terms(item, terms, opaque, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("@"):
                continue
            if key not in terms:
                problems.append(f"{path}.{key}")
            elif key not in opaque and key != "nameMap":
                problems += _undefined_terms(value, terms, opaque, f"{path}.{key}")
    return problems


def validate_as2(document: dict) -> dict:
    """Raise if `document` is not ActivityStreams 2.0: AS2 context, every term defined, shape per the schema."""
    import jsonschema

    context = document.get("@context")
    assert "https://www.w3.org/ns/activitystreams" in (context if isinstance(context, list) else [context]), context
    terms, opaque = _terms_of(context)
    assert not _undefined_terms(document, terms, opaque), _undefined_terms(document, terms, opaque)
    jsonschema.validate(document, AS2_SCHEMA)
    return document


@pytest.fixture
def as2():
    return validate_as2
