from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path(".well-known/webfinger", views.webfinger_view, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("federation/spheres/<slug:slug>", views.actor, name="actor"),
    path("federation/spheres/<slug:slug>/inbox", views.inbox_view, name="inbox"),
    path("federation/spheres/<slug:slug>/outbox", views.outbox, name="outbox"),
    path("federation/spheres/<slug:slug>/followers", views.followers, name="followers"),
    path("federation/activities/<uuid:key>", views.activity, name="activity"),
    path("federation/policies/<int:pk>", views.policy, name="policy"),
    path("federation/declarations/<int:pk>", views.declaration, name="declaration"),
    path("spheres/<slug:slug>/federation/", views.sphere_federation, name="sphere"),
    path("spheres/<slug:slug>/federation/follow", views.follow, name="follow"),
    path("spheres/<slug:slug>/federation/unfollow/<int:pk>", views.unfollow, name="unfollow"),
    path("spheres/<slug:slug>/federation/ratify", views.send_ratification, name="ratify"),
]
