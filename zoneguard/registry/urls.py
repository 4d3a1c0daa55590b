from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/suggest/", views.organisation_suggest, name="organisation-suggest"),
    path("sites/suggest/", views.site_suggest, name="site-suggest"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:organisation_pk>/sites/new/", views.site_create, name="site-create"),
    path("organisations/<int:organisation_pk>/members/new/", views.member_add, name="member-add"),
    path("organisations/<int:organisation_pk>/import/", views.staff_import, name="staff-import"),
    path("staff-template.xlsx", views.staff_template, name="staff-template"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site-edit"),
    path("sites/<int:pk>/rotate-code/", views.site_rotate_code, name="site-rotate-code"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership-edit"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
]
