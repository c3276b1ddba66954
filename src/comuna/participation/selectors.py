"""Read helpers for participation pages and the API, with a bounded number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet

from .models import Comment, Process, Proposal, ProposalStatus
from .search import search_proposals

PROPOSAL_ORDERS = {"recent": "-created_at", "supports": "-support_count", "comments": "-comment_count"}
COMMENT_ORDERS = {"recent": "-created_at", "discussed": "-reply_count", "agreed": "-agree_count"}
PAGE_SIZE = 20


def proposals_of(process, *, text: str = "", status: str = "", function: str = "",
                 order: str = "recent") -> QuerySet[Proposal]:
    proposals = search_proposals(process.proposals.filter(hidden=False).select_related("function", "sphere"), text)
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    if function:
        proposals = proposals.filter(function__code__startswith=function)
    return proposals.order_by(PROPOSAL_ORDERS.get(order, "-created_at"), "-pk")


def visible_processes(user) -> QuerySet[Process]:
    """Public processes, and the private ones of spheres where the person lives or works."""
    from django.db.models import Q

    from comuna.spheres.models import Sphere

    if not user.is_authenticated:
        return Process.objects.filter(is_private=False)
    if user.is_superuser:
        return Process.objects.all()
    home_ids = set()
    for sphere in Sphere.objects.filter(residencies__user=user):  # residency counts in every ancestor
        home_ids.update(sphere.chain_ids())
    staff_spheres = Sphere.objects.filter(role_assignments__user=user)
    staff_filter = Q()
    for sphere in staff_spheres:  # a role holds in the spheres below
        staff_filter |= Q(sphere=sphere) | Q(sphere__path__startswith=f"{sphere.path}{sphere.pk}/")
    visible = Q(is_private=False) | Q(sphere_id__in=home_ids)
    if staff_filter:
        visible |= staff_filter
    return Process.objects.filter(visible)


def find_proposals(user, *, text: str = "", status: str = "", function: str = "", sphere: str = "",
                   min_supports: int | None = None, order: str = "recent") -> QuerySet[Proposal]:
    """Search and filters across every process the person may see: the same rules for pages and API."""
    proposals = Proposal.objects.filter(process__in=visible_processes(user), hidden=False).select_related("function", "sphere",
                                                                                         "process")
    proposals = search_proposals(proposals, text)
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    if function:
        proposals = proposals.filter(function__code__startswith=function)
    if sphere:
        proposals = proposals.filter(sphere__slug=sphere)
    if min_supports:
        proposals = proposals.filter(support_count__gte=min_supports)
    return proposals.order_by(PROPOSAL_ORDERS.get(order, "-created_at"), "-pk")


def page_of(queryset, number, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(number)


THREADS_PER_PAGE = 30


def comment_threads(proposal: Proposal, order: str = "recent", page_number=None):
    """A page of top-level comments in the chosen order, each with its whole thread of replies (oldest first):
    three queries whatever the number of comments."""
    top = Comment.objects.filter(proposal=proposal, parent__isnull=True).select_related("author")
    ordering = COMMENT_ORDERS.get(order, "-created_at")
    page = page_of(top.order_by(ordering, "-pk"), page_number, THREADS_PER_PAGE)
    replies = Comment.objects.filter(root__in=[c.pk for c in page]).select_related("author").order_by("created_at")
    children: dict[int, list[Comment]] = {}
    for reply in replies:
        children.setdefault(reply.parent_id, []).append(reply)

    def thread(comment: Comment) -> dict:
        return {"comment": comment, "replies": [thread(reply) for reply in children.get(comment.pk, [])]}

    page.threads = [thread(c) for c in page]
    return page
