"""HTTP Signatures as Mastodon speaks them (draft-cavage-http-signatures-12, rsa-sha256), with `cryptography`.

Outgoing POSTs sign `(request-target) host date digest`; the inbox requires those four, a Date within
SIGNATURE_WINDOW_SECONDS of our clock and a Digest equal to the SHA-256 of the body it received.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

from . import conf

REQUIRED_HEADERS = ("(request-target)", "host", "date", "digest")
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """Why a request's signature does not hold; `code` is stable and safe to log."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- Keys -------------------------------------------------------------------------------------------------------

def _storage_password() -> bytes:
    return hashlib.sha256(b"comuna.federation.actor-key|" + settings.SECRET_KEY.encode()).digest()


def generate_key_pair() -> tuple[str, bytes]:
    """A new 2048-bit RSA pair: (public key PEM, private key PEM encrypted for storage)."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    private_encrypted = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_storage_password()))
    return public_pem, private_encrypted


def load_private_key(encrypted_pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(bytes(encrypted_pem), password=_storage_password())
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise SignatureError("bad_public_key") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("bad_public_key")
    return key


# --- Signing ----------------------------------------------------------------------------------------------------

def body_digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime | None = None) -> str:
    return format_datetime(moment or datetime.now(UTC), usegmt=True)


def _signing_string(header_names: list[str], method: str, path: str, headers: dict[str, str]) -> str:
    lines = []
    for name in header_names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)


def signed_post_headers(url: str, body: bytes, *, key_id: str, private_key: rsa.RSAPrivateKey) -> dict[str, str]:
    """Headers for POSTing `body` to `url`, signed with the actor's key."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"host": parts.netloc, "date": http_date(), "digest": body_digest(body)}
    signed = _signing_string(list(REQUIRED_HEADERS), "post", path, headers)
    signature = base64.b64encode(private_key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    headers["signature"] = (f'keyId="{key_id}",algorithm="rsa-sha256",'
                            f'headers="{" ".join(REQUIRED_HEADERS)}",signature="{signature}"')
    headers["content-type"] = "application/activity+json"
    return headers


# --- Verifying --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str
    headers: list[str]
    signature: bytes


def parse_signature_header(value: str) -> ParsedSignature:
    params = dict(_PARAM.findall(value or ""))
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureError("signature_missing")
    try:
        raw = base64.b64decode(params["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("signature_malformed") from error
    names = params.get("headers", "date").lower().split()
    return ParsedSignature(params["keyId"], params.get("algorithm", "rsa-sha256").lower(), names, raw)


def check_request(parsed: ParsedSignature, *, method: str, path: str, headers: dict[str, str], body: bytes,
                  now: datetime | None = None) -> None:
    """Everything that can be checked before knowing the key: covered headers, Date window, Digest."""
    if parsed.algorithm not in {"rsa-sha256", "hs2019"}:
        raise SignatureError("signature_algorithm")
    if any(name not in parsed.headers for name in REQUIRED_HEADERS):
        raise SignatureError("signature_headers")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as error:
        raise SignatureError("date_malformed") from error
    if sent.tzinfo is None:
        raise SignatureError("date_malformed")
    if abs(((now or datetime.now(UTC)) - sent).total_seconds()) > conf.SIGNATURE_WINDOW_SECONDS:
        raise SignatureError("date_out_of_window")
    # The Digest header may list several digests (RFC 3230); the SHA-256 one must be there and must match.
    digests = {}
    for part in headers.get("digest", "").split(","):
        algorithm, _sep, value = part.strip().partition("=")
        digests[algorithm.lower()] = value
    if digests.get("sha-256") != body_digest(body).partition("=")[2]:
        raise SignatureError("digest_mismatch")


def verify(parsed: ParsedSignature, public_key_pem: str, *, method: str, path: str,
           headers: dict[str, str]) -> None:
    try:
        signed = _signing_string(parsed.headers, method, path, headers)
    except KeyError as error:
        raise SignatureError("signature_headers") from error
    try:
        load_public_key(public_key_pem).verify(parsed.signature, signed.encode(), padding.PKCS1v15(),
                                               hashes.SHA256())
    except InvalidSignature as error:
        raise SignatureError("bad_signature") from error
