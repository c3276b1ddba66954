from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "comuna.cooperation"
    verbose_name = _("Decentralised cooperation")

    def ready(self) -> None:
        from comuna.audit.actions import register

        from .actions import ACTIONS

        register(ACTIONS)
