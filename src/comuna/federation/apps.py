from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "comuna.federation"
    verbose_name = _("Federation between instances")

    def ready(self) -> None:
        from comuna.audit.actions import register

        from . import signals
        from .actions import ACTIONS

        register(ACTIONS)
        signals.connect()
