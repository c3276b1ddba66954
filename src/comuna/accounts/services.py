"""Residency verification (census, in-person codes, manual approval), roles and API tokens."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound
from comuna.spheres.models import Sphere

from .models import (
    ApiToken,
    Census,
    CensusEntry,
    RequestStatus,
    Residency,
    ResidencyMethod,
    ResidencyRequest,
    Role,
    RoleAssignment,
    User,
    VerificationCode,
)
from .selectors import holds_any_staff_role

MAX_CENSUS_BYTES = 20 * 1024 * 1024
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud at a door
CODE_LENGTH = 10
MAX_CODES_PER_BATCH = 1000


# --- Officials must use two-factor authentication --------------------------------------------------------------

def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def check_staff_mfa(user) -> None:
    """Raise unless the acting official has MFA on (when the instance requires it)."""
    if settings.COMUNA_OFFICIAL_MFA_REQUIRED and holds_any_staff_role(user) and not has_mfa(user):
        raise NotAllowed(
            "mfa_required",
            _("Officials must turn on two-factor authentication before acting. Set it up in your account."),
        )


def check_perm(user, perm: str, sphere: Sphere, message: str) -> None:
    if not user.has_perm(perm, sphere):
        raise NotAllowed("forbidden", message)
    check_staff_mfa(user)


# --- Census ---------------------------------------------------------------------------------------------------

def normalise_document(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def census_digest(salt: str, document_number: str, birth_date: date) -> str:
    message = f"{normalise_document(document_number)}|{birth_date.isoformat()}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CensusRow:
    line: int
    document_number: str
    birth_date: date


def parse_census(raw: bytes) -> list[CensusRow]:
    """Read a census CSV (columns document_number, birth_date as YYYY-MM-DD; comma or semicolon).

    Any problem names its line, and the whole file is refused."""
    if len(raw) > MAX_CENSUS_BYTES:
        raise DomainError("census_too_large", _("The census file is larger than 20 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("census_not_utf8", _("The census file is not UTF-8 text (save it as CSV UTF-8).")) from None
    if not text.strip():
        raise DomainError("census_empty", _("The census file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [cell.strip().lower() for cell in next(reader)]
    if "document_number" not in header or "birth_date" not in header:
        raise DomainError(
            "census_bad_header",
            _("Line 1: the census needs the columns “document_number” and “birth_date”."), line=1,
        )
    doc_col, date_col = header.index("document_number"), header.index("birth_date")
    rows: list[CensusRow] = []
    seen: dict[tuple[str, date], int] = {}
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise DomainError("census_bad_row", _("Line %(line)d: expected %(expected)d columns, found %(found)d.")
                              % {"line": line_number, "expected": len(header), "found": len(cells)}, line=line_number)
        document = normalise_document(cells[doc_col])
        if not document:
            raise DomainError("census_bad_row", _("Line %(line)d: the document number is empty.")
                              % {"line": line_number}, line=line_number)
        try:
            born = date.fromisoformat(cells[date_col].strip())
        except ValueError:
            raise DomainError("census_bad_row", _("Line %(line)d: “%(value)s” is not a date in the form YYYY-MM-DD.")
                              % {"line": line_number, "value": cells[date_col].strip()[:40]}, line=line_number) from None
        if (document, born) in seen:
            raise DomainError("census_duplicate", _("Line %(line)d repeats line %(first)d.")
                              % {"line": line_number, "first": seen[(document, born)]}, line=line_number)
        seen[(document, born)] = line_number
        rows.append(CensusRow(line_number, document, born))
    if not rows:
        raise DomainError("census_empty", _("The census file has no residents in it."))
    return rows


@transaction.atomic
def do_upload_census(sphere: Sphere, raw: bytes, *, actor) -> Census:
    """Replace the sphere's census. Residencies already verified stay; the clear values are never stored."""
    check_perm(actor, "accounts.upload_census", sphere, _("Only an admin of this sphere can upload its census."))
    rows = parse_census(raw)
    Census.objects.filter(sphere=sphere).delete()
    salt = secrets.token_hex(32)
    census = Census.objects.create(sphere=sphere, salt=salt, entries=len(rows))
    CensusEntry.objects.bulk_create(
        [CensusEntry(census=census, digest=census_digest(salt, row.document_number, row.birth_date)) for row in rows],
        batch_size=2000,
    )
    record(actions.CENSUS_UPLOADED, actor=actor, actor_role=Role.ADMIN, sphere=sphere, target=census,
           data={"entries": len(rows)})
    return census


def grant_residency(user: User, sphere: Sphere, method: str) -> Residency:
    if Residency.objects.filter(user=user, sphere=sphere).exists():
        raise Conflict("already_resident", _("You are already a verified resident of %(sphere)s.") % {"sphere": sphere.name})
    residency = Residency.objects.create(user=user, sphere=sphere, method=method)
    record(actions.RESIDENCY_VERIFIED, actor=user, sphere=sphere, target=residency, data={"method": method})
    return residency


@transaction.atomic
def do_verify_by_census(user: User, sphere: Sphere, document_number: str, birth_date: date) -> Residency:
    census = Census.objects.filter(sphere=sphere).first()
    if census is None:
        raise NotFound("no_census", _("%(sphere)s has not published a census to check against.") % {"sphere": sphere.name})
    digest = census_digest(census.salt, document_number, birth_date)
    entry = CensusEntry.objects.filter(census=census, digest=digest).first()
    if entry is None:
        raise DomainError("not_in_census", _("These details are not in the census of %(sphere)s.") % {"sphere": sphere.name})
    if entry.claimed_by_id and entry.claimed_by_id != user.pk:
        raise Conflict("census_entry_claimed", _("These details were already used to verify another account."))
    residency = grant_residency(user, sphere, ResidencyMethod.CENSUS)
    entry.claimed_by = user
    entry.save(update_fields=["claimed_by"])
    return residency


# --- One-time codes handed out in person ----------------------------------------------------------------------

def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(raw: str) -> str:
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def do_issue_codes(sphere: Sphere, count: int, *, actor, valid_days: int = 30) -> list[str]:
    """Make `count` codes; they are returned once, to print, and only their hashes are kept."""
    check_perm(actor, "accounts.issue_codes", sphere, _("Only officials of this sphere can issue verification codes."))
    if sphere.is_network:
        raise DomainError("network_has_no_residents", _("Networks have no residents of their own."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise DomainError("bad_code_count", _("Issue between 1 and %(max)d codes at a time.") % {"max": MAX_CODES_PER_BATCH})
    if not 1 <= valid_days <= 365:
        raise DomainError("bad_validity", _("Codes are valid for 1 to 365 days."))
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]
    expires = timezone.now() + timedelta(days=valid_days)
    VerificationCode.objects.bulk_create(
        [VerificationCode(sphere=sphere, digest=code_digest(code), expires_at=expires) for code in codes]
    )
    record(actions.CODES_ISSUED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere,
           data={"count": count, "valid_days": valid_days})
    return [format_code(code) for code in codes]


@transaction.atomic
def do_redeem_code(user: User, code: str) -> Residency:
    entry = VerificationCode.objects.select_for_update().filter(digest=code_digest(code)).select_related("sphere").first()
    if entry is None:
        raise NotFound("code_invalid", _("This verification code is not valid. Check it and try again."))
    if entry.used_at is not None:
        raise Conflict("code_used", _("This verification code has already been used."))
    if entry.expires_at <= timezone.now():
        raise DomainError("code_expired", _("This verification code expired on %(date)s. Ask an official for a new one.")
                          % {"date": entry.expires_at.date().isoformat()})
    residency = grant_residency(user, entry.sphere, ResidencyMethod.CODE)
    updated = VerificationCode.objects.filter(pk=entry.pk, used_at__isnull=True).update(used_at=timezone.now(), used_by=user)
    if updated != 1:  # another request redeemed it in between (SQLite has no row locks)
        raise Conflict("code_used", _("This verification code has already been used."))
    return residency


# --- Manual approval ------------------------------------------------------------------------------------------

@transaction.atomic
def do_request_residency(user: User, sphere: Sphere, message: str) -> ResidencyRequest:
    if sphere.is_network:
        raise DomainError("network_has_no_residents", _("Networks have no residents of their own."))
    if Residency.objects.filter(user=user, sphere=sphere).exists():
        raise Conflict("already_resident", _("You are already a verified resident of %(sphere)s.") % {"sphere": sphere.name})
    try:
        with transaction.atomic():
            return ResidencyRequest.objects.create(user=user, sphere=sphere, message=message[:1000])
    except IntegrityError:
        raise Conflict("request_pending", _("Your request for %(sphere)s is already waiting for an official.")
                       % {"sphere": sphere.name}) from None


@transaction.atomic
def do_decide_request(request: ResidencyRequest, *, approve: bool, reason: str, actor) -> ResidencyRequest:
    check_perm(actor, "accounts.decide_residency", request.sphere,
               _("Only officials of this sphere can decide residency requests."))
    request = ResidencyRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise Conflict("request_decided", _("This request was already decided."))
    if not approve and not reason.strip():
        raise DomainError("reason_required", _("Say why the request is rejected: the resident will read it."))
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()[:500]
    request.save(update_fields=["status", "decided_at", "decision_reason"])
    if approve:
        Residency.objects.get_or_create(user=request.user, sphere=request.sphere,
                                        defaults={"method": ResidencyMethod.MANUAL})
    record(actions.RESIDENCY_REQUEST_DECIDED, actor=actor, actor_role=Role.OFFICIAL, sphere=request.sphere,
           target=request, data={"approved": approve})
    return request


# --- Roles ----------------------------------------------------------------------------------------------------

@transaction.atomic
def do_grant_role(sphere: Sphere, email: str, role: str, *, actor) -> RoleAssignment:
    check_perm(actor, "spheres.manage_roles", sphere, _("Only an admin of this sphere can grant roles in it."))
    if role not in Role.values:
        raise DomainError("unknown_role", _("“%(role)s” is not a role.") % {"role": role[:40]})
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise NotFound("unknown_person", _("No account uses this e-mail address."))
    assignment, created = RoleAssignment.objects.get_or_create(user=person, sphere=sphere, role=role)
    if not created:
        raise Conflict("role_held", _("This person already holds that role here."))
    record(actions.ROLE_GRANTED, actor=actor, actor_role=Role.ADMIN, sphere=sphere, target=assignment,
           data={"role": role, "person": f"user:{person.pk}"})
    return assignment


@transaction.atomic
def do_revoke_role(assignment: RoleAssignment, *, actor) -> None:
    check_perm(actor, "spheres.manage_roles", assignment.sphere, _("Only an admin of this sphere can revoke roles in it."))
    if assignment.role == Role.ADMIN and assignment.user_id == actor.pk and not RoleAssignment.objects.filter(
        sphere=assignment.sphere, role=Role.ADMIN).exclude(pk=assignment.pk).exists():
        raise Conflict("last_admin", _("You are the last admin of this sphere: grant the role to someone else first."))
    record(actions.ROLE_REVOKED, actor=actor, actor_role=Role.ADMIN, sphere=assignment.sphere, target=assignment,
           data={"role": assignment.role, "person": f"user:{assignment.user_id}"})
    assignment.delete()


# --- API tokens -----------------------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise DomainError("name_required", _("Give the token a name, so you can recognise it later."))
    token = "cmn_" + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=user, name=name[:80], digest=token_digest(token)), token


def user_for_token(token: str) -> User | None:
    api_token = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if api_token is None or not api_token.user.is_active:
        return None
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token.user
