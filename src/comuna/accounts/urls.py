from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/verify/", views.redeem_code, name="redeem_code"),
    path("me/preferences/", views.preferences, name="preferences"),
    path("me/data.json", views.my_data, name="my_data"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("me/tokens/", views.create_token, name="create_token"),
    path("me/tokens/<int:token_id>/delete/", views.delete_token, name="delete_token"),
    path("spheres/<slug:slug>/residency/", views.residency, name="residency"),
    path("spheres/<slug:slug>/manage/", views.manage, name="manage"),
]
