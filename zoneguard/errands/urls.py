from django.urls import path

from . import views

app_name = "errands"
urlpatterns = [
    path("", views.errand_list, name="list"),
    path("new/<int:case_pk>/", views.errand_new, name="new"),
    path("<int:pk>/", views.errand_detail, name="errand"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/settle/", views.settle, name="settle"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    # The resident, through the personal link of their home-isolation case.
    path("r/<str:token>/", views.resident, name="resident"),
    path("r/<str:token>/<int:pk>/confirm/", views.resident_confirm, name="resident_confirm"),
    path("r/<str:token>/<int:pk>/cancel/", views.resident_cancel, name="resident_cancel"),
    path("r/<str:token>/<int:pk>/receipt/", views.resident_receipt, name="resident_receipt"),
]
