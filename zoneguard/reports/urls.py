from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.day, name="day"),
    path("chart/", views.chart, name="chart"),
    path("file/", views.report_file, name="file"),
    path("export/", views.export, name="export"),
    path("deadline/", views.deadline, name="deadline"),
    path("<int:pk>/", views.report_detail, name="report"),
]
