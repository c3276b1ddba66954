from django.urls import path

from . import views

app_name = "intercity"
urlpatterns = [
    path("policies/", views.library, name="library"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/edit/", views.edit_policy, name="edit_policy"),
    path("policies/<int:pk>/adopt/", views.adopt_policy, name="adopt_policy"),
    path("policies/<int:pk>/diffusion/", views.diffusion, name="diffusion"),
    path("policies/<int:pk>/diffusion.svg", views.diffusion_svg, name="diffusion_svg"),
    path("spheres/<slug:slug>/policies/new/", views.publish_policy, name="publish_policy"),
    path("peer-learning/", views.help_requests, name="help_requests"),
    path("peer-learning/<int:pk>/", views.help_request, name="help_request"),
    path("peer-learning/<int:pk>/offers/", views.offer_mentoring, name="offer_mentoring"),
    path("peer-learning/offers/<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("peer-learning/offers/<int:pk>/sessions/", views.record_session, name="record_session"),
    path("spheres/<slug:slug>/peer-learning/new/", views.ask_for_help, name="ask_for_help"),
    path("networks/<slug:slug>/declarations/", views.network_declarations, name="network_declarations"),
    path("networks/<slug:slug>/remote-members/", views.add_remote_member, name="add_remote_member"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration"),
    path("declarations/<int:pk>/revise/", views.revise_declaration, name="revise_declaration"),
    path("declarations/<int:pk>/amendments/", views.propose_amendment, name="propose_amendment"),
    path("declarations/amendments/<int:pk>/decide/", views.decide_amendment, name="decide_amendment"),
    path("declarations/<int:pk>/ratification/", views.open_ratification, name="open_ratification"),
    path("declarations/<int:pk>/decision/", views.decide_ratification, name="decide_ratification"),
    path("declarations/<int:pk>/vote/", views.call_vote, name="call_vote"),
    path("ratifications/<int:pk>/vote/", views.ratification_vote, name="ratification_vote"),
    path("dialogues/", views.dialogues, name="dialogues"),
    path("dialogues/new/", views.start_dialogue, name="start_dialogue"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue"),
]
