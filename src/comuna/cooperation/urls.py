from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("spheres/<slug:slug>/cooperation/", views.sphere_cooperation, name="sphere"),
    path("spheres/<slug:slug>/cooperation/identifier/", views.set_identifier, name="set_identifier"),
    path("spheres/<slug:slug>/cooperation/partnerships/new/", views.create_partnership, name="create_partnership"),
    path("spheres/<slug:slug>/cooperation/projects/new/", views.create_project, name="create_project"),
    path("cooperation/projects/<int:pk>/", views.project_detail, name="project"),
    path("cooperation/projects/<int:pk>/transactions/", views.add_transaction, name="add_transaction"),
    path("cooperation/projects/<int:pk>/results/", views.add_result, name="add_result"),
    path("cooperation/import/", views.import_iati, name="import"),
    path("api/v1/iati/<slug:slug>/activities.xml", views.iati_activities, name="iati_activities"),
]
