from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "comuna.finance"
    verbose_name = _("Local finance")

    def ready(self) -> None:
        from comuna.audit.actions import register

        from .actions import ACTIONS

        register(ACTIONS)
