from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.today, name="today"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/report/", views.report, name="report"),
    path("items/<int:pk>/evidence/<int:evidence_pk>/", views.evidence, name="evidence"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("scores/", views.ranking, name="ranking"),
    path("scores/<int:department>/<str:month>/", views.score_detail, name="score"),
    path("months/<str:month>/close/", views.month_close, name="close"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/heads/", views.head_set, name="head"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/decisions/", views.meeting_decision, name="decision"),
    path("meetings/<int:pk>/decisions/<int:decision>/item/", views.decision_item, name="decision-item"),
    path("meetings/<int:pk>/minutes/send/", views.minutes_send, name="minutes-send"),
]
