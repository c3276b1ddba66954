"""A person's own data: download it, or delete the account. Votes and supports stay counted, but anonymous."""

from __future__ import annotations

import secrets
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.core.errors import DomainError

from .models import User


def export_my_data(user: User) -> dict[str, Any]:
    """Everything Comuna keeps that points at this person. Secret ballots are not here: nothing links them to
    anyone, this person included."""
    Proposal = apps.get_model("participation", "Proposal")
    Comment = apps.get_model("participation", "Comment")
    Support = apps.get_model("participation", "Support")
    Follow = apps.get_model("participation", "Follow")
    return {
        "account": {"email": user.email, "public_name": user.display_name, "joined": user.date_joined.isoformat(),
                    "language": user.language, "email_digest": user.email_digest},
        "residencies": [{"sphere": r.sphere.slug, "method": r.method, "verified_at": r.verified_at.isoformat()}
                        for r in user.residencies.select_related("sphere")],
        "roles": [{"sphere": r.sphere.slug, "role": r.role} for r in user.roles.select_related("sphere")],
        "residency_requests": [{"sphere": r.sphere.slug, "message": r.message, "status": r.status}
                               for r in user.residency_requests.select_related("sphere")],
        "proposals": [{"id": p.pk, "title": p.title, "body": p.body, "created_at": p.created_at.isoformat()}
                      for p in Proposal.objects.filter(author=user)],
        "comments": [{"proposal": c.proposal_id, "body": c.body, "created_at": c.created_at.isoformat()}
                     for c in Comment.objects.filter(author=user)],
        "supports": [s.proposal_id for s in Support.objects.filter(user=user)],
        "follows": [{"sphere": f.sphere_id, "process": f.process_id, "proposal": f.proposal_id}
                    for f in Follow.objects.filter(user=user)],
        "api_tokens": [{"name": t.name, "created_at": t.created_at.isoformat()} for t in user.api_tokens.all()],
    }


@transaction.atomic
def do_delete_account(user: User, confirmation: str) -> None:
    """Erase who the person was. What they wrote stays, signed "former member"; their supports and votes still
    count, attached to an account that no longer says who it was."""
    if confirmation.strip().lower() != user.email.lower():
        raise DomainError("confirmation_mismatch", _("Type your e-mail address to confirm."))
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.residencies.all().delete()
    user.roles.all().delete()
    user.residency_requests.all().delete()
    user.api_tokens.all().delete()
    apps.get_model("participation", "Follow").objects.filter(user=user).delete()
    apps.get_model("participation", "Notification").objects.filter(user=user).delete()
    apps.get_model("accounts", "CensusEntry").objects.filter(claimed_by=user).update(claimed_by=None)
    user.email = f"deleted-{user.pk}-{secrets.token_hex(4)}@invalid"
    user.display_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.date_joined = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    user.save()
