from django.urls import path

from . import views

app_name = "spheres"
urlpatterns = [
    path("spheres/", views.tree, name="tree"),
    path("spheres/<slug:slug>/", views.detail, name="detail"),
    path("spheres/<slug:slug>/audit/", views.audit, name="audit"),
    path("networks/<slug:slug>/", views.network, name="network"),
]
