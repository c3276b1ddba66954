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
    path("cooperation/partnerships/<int:pk>/edit/", views.edit_partnership, name="edit_partnership"),
    path("cooperation/projects/<int:pk>/edit/", views.edit_project, name="edit_project"),
    path("cooperation/projects/<int:pk>/budgets/", views.add_budget, name="add_budget"),
    path("cooperation/projects/<int:pk>/budgets/<int:item>/remove/", views.remove_budget, name="remove_budget"),
    path("cooperation/projects/<int:pk>/documents/", views.add_document, name="add_document"),
    path("cooperation/projects/<int:pk>/documents/<int:item>/remove/", views.remove_document,
         name="remove_document"),
    path("cooperation/projects/<int:pk>/places/", views.add_place, name="add_place"),
    path("cooperation/projects/<int:pk>/places/<int:index>/remove/", views.remove_place, name="remove_place"),
    path("cooperation/documents/<int:pk>/", views.document_file, name="document"),
    path("cooperation/import/", views.import_iati, name="import"),
    path("api/v1/iati/<slug:slug>/activities.xml", views.iati_activities, name="iati_activities"),
]
