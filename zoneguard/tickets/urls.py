from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("figures/", views.figures, name="figures"),
    path("routing/", views.routing, name="routing"),
    path("routing/<int:pk>/delete/", views.rule_delete, name="rule-delete"),
    path("<int:pk>/", views.ticket_detail, name="ticket"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/pass-on/", views.pass_on, name="pass-on"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/rate/", views.rate, name="rate"),
]
