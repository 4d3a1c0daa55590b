from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("d/<str:code>/", views.declare, name="declare"),
    path("card/<str:code>/<str:signature>/", views.card, name="card"),
    path("declarations/", views.declaration_list, name="declarations"),
]
