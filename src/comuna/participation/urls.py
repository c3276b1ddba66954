from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("spheres/<slug:slug>/processes/", views.sphere_processes, name="sphere_processes"),
    path("spheres/<slug:slug>/processes/new/", views.create_process, name="create_process"),
    path("spheres/<slug:slug>/commitments/", views.commitments, name="commitments"),
    path("processes/<slug:slug>/", views.process_detail, name="process"),
    path("processes/<slug:slug>/proposals/new/", views.create_proposal, name="create_proposal"),
    path("proposals/overdue/", views.overdue, name="overdue"),
    path("search/", views.search, name="search"),
    path("follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("me/notifications/", views.notifications_page, name="notifications"),
    path("processes/<slug:slug>/similar/", views.similar, name="similar"),
    path("processes/<slug:slug>/meetings/new/", views.create_meeting, name="create_meeting"),
    path("processes/<slug:slug>/meetings.ics", views.process_ics, name="process_ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/register/", views.register, name="register"),
    path("meetings/<int:pk>/minutes/", views.publish_minutes, name="minutes"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.edit_proposal, name="edit_proposal"),
    path("proposals/<int:pk>/support/", views.support, name="support"),
    path("proposals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("proposals/<int:pk>/comments/", views.comment, name="comment"),
    path("proposals/<int:pk>/answer/", views.answer, name="answer"),
    path("proposals/<int:pk>/refer/", views.refer, name="refer"),
    path("proposals/<int:pk>/amend/", views.amend, name="amend"),
    path("proposals/<int:pk>/versions/", views.versions, name="versions"),
    path("amendments/<int:pk>/decide/", views.decide_amendment, name="decide_amendment"),
    path("comments/<int:pk>/vote/", views.vote_comment, name="vote_comment"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("moderate/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("spheres/<slug:slug>/moderation/", views.moderation_queue, name="moderation"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/update/", views.update_commitment, name="update_commitment"),
]
