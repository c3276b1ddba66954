from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntercityConfig(AppConfig):
    name = "comuna.intercity"
    verbose_name = _("Intercity system")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from comuna.audit.actions import register

        from . import rules  # noqa: F401
        from .actions import ACTIONS

        register(ACTIONS)
        post_migrate.connect(restore_search_index, sender=self)


def restore_search_index(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    from .search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
