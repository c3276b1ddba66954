"""Test helper: move a process's dates so that a given phase is the current one."""

from datetime import timedelta

from django.utils import timezone

from comuna.participation.models import Phase


def move_to_phase(process, kind: str) -> None:
    """Shift the dates so that `kind` is the current phase."""
    phase = process.phases.get(kind=kind)
    shift = timezone.now() - phase.starts_at - timedelta(minutes=1)
    for each in process.phases.all():
        Phase.objects.filter(pk=each.pk).update(starts_at=each.starts_at + shift, ends_at=each.ends_at + shift)
