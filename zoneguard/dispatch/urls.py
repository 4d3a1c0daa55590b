from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("new/", views.project_new, name="project-new"),
    path("table/", views.dispatch_table, name="table"),
    path("import/", views.progress_import, name="import"),
    path("import/template/", views.progress_template, name="import-template"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/status/", views.project_status, name="project-status"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone-add"),
    path("<int:pk>/milestones/<int:milestone_pk>/achieved/", views.milestone_achieved, name="milestone-achieved"),
    path("<int:pk>/risks/", views.risk_add, name="risk-add"),
    path("<int:pk>/risks/<int:risk_pk>/state/", views.risk_state, name="risk-state"),
    path("<int:pk>/progress/", views.progress_report, name="progress"),
    path("<int:pk>/contracts/", views.contract_add, name="contract-add"),
    path("<int:pk>/disbursements/", views.disbursement_record, name="disbursement"),
    path("leads/", views.lead_board, name="leads"),
    path("leads/new/", views.lead_new, name="lead-new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("leads/<int:pk>/stage/", views.lead_stage, name="lead-stage"),
    path("leads/<int:pk>/organisation/", views.lead_organisation, name="lead-organisation"),
    path("leads/<int:pk>/project/", views.lead_project, name="lead-project"),
]
