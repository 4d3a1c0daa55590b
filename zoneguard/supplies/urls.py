from django.urls import path

from . import views

app_name = "supplies"
urlpatterns = [
    path("", views.stock, name="stock"),
    path("threshold/", views.threshold, name="threshold"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/depots/new/", views.depot_open, name="depot_open"),
    path("count/", views.count_import, name="count"),
    path("count/template/", views.count_template, name="count_template"),
    path("setup/", views.setup, name="setup"),
    path("setup/items/<int:pk>/active/", views.item_active, name="item_active"),
    path("setup/priorities/<int:pk>/delete/", views.priority_delete, name="priority_delete"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("requests/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("requests/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("requests/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
