from django.urls import path

from . import views

app_name = "resumption"
urlpatterns = [
    path("filings/", views.filing_list, name="filings"),
    path("filings/new/", views.filing_create, name="filing-create"),
    path("filings/<int:pk>/", views.filing_detail, name="filing"),
    path("filings/<int:pk>/edit/", views.filing_edit, name="filing-edit"),
    path("filings/<int:pk>/decision/", views.filing_decide, name="filing-decide"),
    path("filings/<int:pk>/document/", views.filing_document, name="filing-document"),
    path("rates/", views.rates, name="rates"),
    path("rates/chart/sectors/", views.rates_chart_sectors, name="rates-chart-sectors"),
    path("rates/chart/days/", views.rates_chart_days, name="rates-chart-days"),
]
