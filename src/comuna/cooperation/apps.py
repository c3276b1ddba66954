from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "comuna.cooperation"
    verbose_name = _("Decentralised cooperation")
