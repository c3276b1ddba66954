"""Deliver queued ActivityPub activities that are due (run it every minute from cron or a systemd timer)."""

import time

from django.core.management.base import BaseCommand

from comuna.federation.delivery import deliver_due


class Command(BaseCommand):
    help = "POST queued federation activities to remote inboxes, retrying failures with growing delays."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, checking every 30 seconds")

    def handle(self, *args, loop: bool = False, **options):
        while True:
            delivered, attempted = deliver_due()
            if attempted or not loop:
                self.stdout.write(f"Delivered {delivered} of {attempted} due activities.")
            if not loop:
                return
            time.sleep(30)
