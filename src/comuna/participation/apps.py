from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "comuna.participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(restore_search_index, sender=self)


def restore_search_index(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    from .search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
