from django.urls import path

from . import open311, views

app_name = "services"
urlpatterns = [
    path("spheres/<slug:slug>/services/", views.catalogue, name="catalogue"),
    path("spheres/<slug:slug>/services/desk/", views.desk, name="desk"),
    path("spheres/<slug:slug>/services/keys/", views.api_keys, name="api_keys"),
    path("spheres/<slug:slug>/services/new/", views.create_service, name="create_service"),
    path("spheres/<slug:slug>/services/<str:code>/edit/", views.edit_service, name="edit_service"),
    path("spheres/<slug:slug>/services/<str:code>/active/", views.switch_service, name="switch_service"),
    path("spheres/<slug:slug>/services/<str:code>/questions/", views.questions, name="questions"),
    path("spheres/<slug:slug>/services/<str:code>/questions/<int:pk>/", views.edit_question, name="edit_question"),
    path("spheres/<slug:slug>/services/<str:code>/questions/<int:pk>/remove/", views.remove_question,
         name="remove_question"),
    path("spheres/<slug:slug>/services/<str:code>/report/", views.report, name="report"),
    path("services/mine/", views.my_requests, name="mine"),
    path("services/requests/<int:pk>/", views.request_detail, name="request"),
    path("services/requests/<int:pk>/assign/", views.assign, name="assign"),
    path("services/requests/<int:pk>/update/", views.update, name="update"),
    path("services/requests/<int:pk>/photo/", views.photo, name="photo"),
    path("services/keys/<int:pk>/revoke/", views.revoke_key, name="revoke_key"),
    # Open311 GeoReport v2
    path("open311/v2/", open311.root, name="open311_root"),
    path("open311/v2/discovery.<str:fmt>", open311.discovery, name="open311_discovery"),
    path("open311/v2/services.<str:fmt>", open311.service_list, name="open311_services"),
    path("open311/v2/services/<str:code>.<str:fmt>", open311.service_definition, name="open311_service"),
    path("open311/v2/requests.<str:fmt>", open311.request_list, name="open311_requests"),
    path("open311/v2/requests/<str:pk>.<str:fmt>", open311.request_detail, name="open311_request"),
    path("open311/v2/tokens/<str:token_id>.<str:fmt>", open311.token, name="open311_token"),
]
