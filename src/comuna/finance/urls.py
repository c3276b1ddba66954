from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("spheres/<slug:slug>/finance/", views.overview, name="overview"),
    path("spheres/<slug:slug>/finance/import/", views.import_budget, name="import"),
    path("spheres/<slug:slug>/finance/<int:year>/", views.year, name="year"),
    path("spheres/<slug:slug>/finance/<int:year>.csv", views.export_csv, name="export_csv"),
    path("spheres/<slug:slug>/finance/<int:year>.json", views.export_json, name="export_json"),
    path("finance/lines/<int:pk>/", views.line_detail, name="line"),
    path("finance/lines/<int:pk>/projects/", views.link_project, name="link_project"),
    path("finance/lines/<int:pk>/projects/<int:link>/remove/", views.unlink_project, name="unlink_project"),
    path("finance/open-data/", views.open_data, name="open_data"),
]
