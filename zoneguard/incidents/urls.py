from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("escalation/", views.escalation, name="escalation"),
    path("<int:pk>/", views.incident_detail, name="incident"),
    path("<int:pk>/acknowledge/", views.incident_acknowledge, name="acknowledge"),
    path("<int:pk>/note/", views.incident_note, name="note"),
    path("<int:pk>/close/", views.incident_close, name="close"),
]
