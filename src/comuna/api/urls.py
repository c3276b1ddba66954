from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from comuna.accounts.api import router as accounts_router
from comuna.audit.api import router as audit_router
from comuna.conversations.api import router as conversations_router
from comuna.cooperation.api import router as cooperation_router
from comuna.federation.api import router as federation_router
from comuna.finance.api import router as finance_router
from comuna.intercity.api import router as intercity_router
from comuna.participation.api import router as participation_router
from comuna.services.api import router as services_router
from comuna.spheres.api import router as spheres_router

from .errors import install_error_handlers

api = NinjaAPI(
    title="Comuna API",
    version="1",
    description=str(_("Spheres of government, people and governance records of Comuna.")),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/spheres", spheres_router)
api.add_router("/accounts", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/participation", participation_router)
api.add_router("/conversations", conversations_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/finance", finance_router)
api.add_router("/services", services_router)
api.add_router("/intercity", intercity_router)
api.add_router("/federation", federation_router)
