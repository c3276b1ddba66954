"""Apply the result of every residents' ratification vote that has ended (safe to run as often as wanted)."""

from django.core.management.base import BaseCommand

from comuna.intercity.declarations import close_due_votes


class Command(BaseCommand):
    help = "Apply the results of residents' votes on joint declarations whose voting phase has ended."

    def handle(self, *args, **options) -> None:
        applied = close_due_votes()
        self.stdout.write(f"{applied} vote(s) applied.")
