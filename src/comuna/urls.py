from django.conf import settings
from django.urls import include, path

from comuna.api.urls import api
from comuna.core import views as core_views

handler403 = "comuna.core.views.error_403"
handler404 = "comuna.core.views.error_404"
handler500 = "comuna.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("comuna.spheres.urls")),
    path("", include("comuna.accounts.urls")),
    path("", include("comuna.participation.urls")),
    path("", include("comuna.conversations.urls")),
    path("", include("comuna.budgeting.urls")),
    path("", include("comuna.cooperation.urls")),
    path("", include("comuna.finance.urls")),
    path("", include("comuna.services.urls")),
    path("", include("comuna.representation.urls")),
    path("", include("comuna.intercity.urls")),
    path("", include("comuna.federation.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
