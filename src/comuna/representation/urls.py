from django.urls import path

from . import views

app_name = "representation"
urlpatterns = [
    path("spheres/<slug:slug>/elections/", views.sphere_elections, name="sphere_elections"),
    path("elections/<slug:slug>/", views.election_detail, name="election"),
    path("elections/<slug:slug>/vote/", views.vote, name="vote"),
    path("elections/<slug:slug>/receipt/", views.check_receipt, name="check_receipt"),
    path("elections/<slug:slug>/count/", views.count, name="count"),
    path("elections/<slug:slug>/ballots.blt", views.ballots_blt, name="ballots_blt"),
    path("spheres/<slug:slug>/assemblies/", views.sphere_assemblies, name="sphere_assemblies"),
    path("assemblies/<slug:slug>/", views.assembly_detail, name="assembly"),
    path("assemblies/<slug:slug>/volunteer/", views.volunteer, name="volunteer"),
    path("assemblies/<slug:slug>/distribution/", views.publish_distribution, name="publish_distribution"),
    path("assemblies/<slug:slug>/distribution.json", views.distribution_json, name="distribution_json"),
    path("assemblies/<slug:slug>/draw/", views.draw, name="draw"),
]
