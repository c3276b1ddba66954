from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "comuna.finance"
    verbose_name = _("Local finance")
