from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("spheres/<slug:slug>/conversations/", views.sphere_conversations, name="sphere"),
    path("spheres/<slug:slug>/conversations/new/", views.open_conversation, name="open"),
    path("spheres/<slug:slug>/conversations/import/", views.import_conversation, name="import"),
    path("spheres/<slug:slug>/tensions/report/", views.report_tension, name="report_tension"),
    path("spheres/<slug:slug>/tensions/", views.tensions, name="tensions"),
    path("spheres/<slug:slug>/mediation/cases/new/", views.open_case, name="open_case"),
    path("conversations/<slug:slug>/", views.conversation_detail, name="conversation"),
    path("conversations/<slug:slug>/vote/", views.vote, name="vote"),
    path("conversations/<slug:slug>/statements/", views.add_statement, name="add_statement"),
    path("conversations/<slug:slug>/close/", views.close, name="close"),
    path("conversations/<slug:slug>/import/", views.fill_conversation, name="fill"),
    path("conversations/<slug:slug>/report/", views.report, name="report"),
    path("conversations/<slug:slug>/export.zip", views.export, name="export"),
    path("conversations/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("conversations/<slug:slug>/moderation/<int:number>/", views.moderate, name="moderate"),
    path("tensions/<int:pk>/", views.tension_detail, name="tension"),
    path("tensions/<int:pk>/triage/", views.triage, name="triage"),
    path("mediation/cases/<int:pk>/", views.case_detail, name="case"),
    path("mediation/cases/<int:pk>/parties/", views.add_party, name="add_party"),
    path("mediation/cases/<int:pk>/notes/", views.add_note, name="add_note"),
    path("mediation/cases/<int:pk>/sessions/", views.add_session, name="add_session"),
    path("mediation/cases/<int:pk>/agreements/", views.add_agreement, name="add_agreement"),
    path("mediation/cases/<int:pk>/close/", views.close_case, name="close_case"),
    path("mediation/cases/<int:pk>/conversation/", views.case_conversation, name="case_conversation"),
    path("mediation/agreements/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
]
