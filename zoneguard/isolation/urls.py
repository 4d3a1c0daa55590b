from django.urls import path

from . import views

app_name = "isolation"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_new, name="case_new"),
    path("rules/", views.rules, name="rules"),
    path("import/", views.cases_import, name="import"),
    path("import/template.xlsx", views.cases_template, name="import_template"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/release/", views.release, name="release"),
    path("cases/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("cases/<int:pk>/link/", views.link_renew, name="link_renew"),
    # The resident's personal link: the signed token is the credential.
    path("r/<str:token>/", views.resident, name="resident"),
    path("r/<str:token>/release-notice.pdf", views.resident_notice, name="resident_notice"),
]
