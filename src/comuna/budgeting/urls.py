from django.urls import path

from . import views

app_name = "budgeting"
urlpatterns = [
    path("processes/<slug:slug>/budget/setup/", views.setup, name="setup"),
    path("processes/<slug:slug>/budget/", views.budget_page, name="budget"),
    path("processes/<slug:slug>/budget/projects/", views.submit_project, name="submit_project"),
    path("processes/<slug:slug>/budget/meter/", views.meter, name="meter"),
    path("processes/<slug:slug>/budget/vote/", views.vote, name="vote"),
    path("processes/<slug:slug>/budget/count/", views.count, name="count"),
    path("processes/<slug:slug>/budget/paper/", views.paper_ballot, name="paper_ballot"),
    path("processes/<slug:slug>/budget/ballots.pb", views.download, name="download"),
    path("budget-projects/<int:pk>/review/", views.review, name="review"),
]
