from django.urls import path

from . import views

app_name = "tracing"
urlpatterns = [
    path("", views.trace, name="trace"),
    path("mark/", views.mark, name="mark"),
    path("handover/", views.handover, name="handover"),
    path("end-status/", views.end_status, name="end_status"),
    path("close-contacts/", views.close_contacts, name="close_contacts"),
    path("close-contacts/<int:pk>/release/", views.release, name="release"),
]
