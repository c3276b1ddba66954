from django.core.management.base import BaseCommand

from comuna.participation.notifications import send_digests


class Command(BaseCommand):
    help = "E-mail each person one digest of the news about what they follow (run it daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digests sent.")
