"""Read helpers for participation pages and the API, with a bounded number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet

from .models import Comment, Proposal, ProposalStatus

PROPOSAL_ORDERS = {"recent": "-created_at", "supports": "-support_count", "comments": "-comment_count"}
COMMENT_ORDERS = {"recent": "-created_at", "discussed": "-reply_count", "agreed": "-agree_count"}
PAGE_SIZE = 20


def proposals_of(process, *, status: str = "", function: str = "", order: str = "recent") -> QuerySet[Proposal]:
    proposals = process.proposals.select_related("function", "sphere")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    if function:
        proposals = proposals.filter(function__code__startswith=function)
    return proposals.order_by(PROPOSAL_ORDERS.get(order, "-created_at"), "-pk")


def page_of(queryset, number, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(number)


def comment_threads(proposal: Proposal, order: str = "recent") -> list[dict]:
    """Top-level comments in the chosen order, each with its thread of replies (oldest first), in one query."""
    comments = list(Comment.objects.filter(proposal=proposal).select_related("author"))
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)

    def thread(comment: Comment) -> dict:
        return {"comment": comment, "replies": [thread(reply) for reply in children.get(comment.pk, [])]}

    key = COMMENT_ORDERS.get(order, "-created_at").lstrip("-")
    top = sorted(children.get(None, []), key=lambda c: (getattr(c, key), c.pk), reverse=True)
    return [thread(c) for c in top]
