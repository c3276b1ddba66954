from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "comuna.services"
    label = "public_services"  # "services" is the name of every app's services.py module: keep the label distinct
    verbose_name = _("Public services")

    def ready(self) -> None:
        from comuna.audit.actions import register

        from .actions import ACTIONS

        register(ACTIONS)
