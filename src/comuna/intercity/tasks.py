"""Background jobs of the intercity system."""

from django_tasks import task

from .declarations import close_due_votes


@task()
def close_ratification_votes() -> int:
    """Apply the results of residents' votes that have ended (the same as the management command)."""
    return close_due_votes()
