from django.urls import path

from . import views

app_name = "gates"
urlpatterns = [
    path("", views.today, name="today"),
    path("chart/", views.today_chart, name="today-chart"),
    path("gate/", views.gate, name="gate"),
    path("log/", views.log, name="log"),
    path("onsite/", views.onsite, name="onsite"),
    path("people/<int:pk>/", views.person_log, name="person"),
    path("people/<int:pk>/face/", views.face_enrol, name="face-enrol"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert-close"),
    path("alerts/<int:pk>/retest/", views.alert_retest, name="alert-retest"),
    path("sites/<int:pk>/", views.site_gate, name="site"),
    path("sites/<int:pk>/poster.png", views.poster_png, name="poster-png"),
    path("sites/<int:pk>/poster.pdf", views.poster_pdf, name="poster-pdf"),
    path("faces/<int:pk>/photo/", views.face_photo, name="face-photo"),
    path("faces/<int:pk>/delete/", views.face_delete, name="face-delete"),
]
