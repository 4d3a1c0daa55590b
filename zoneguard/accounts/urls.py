from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm
from .views import applications, invitations, passwords, two_factor, users

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    # Two-factor sign-in
    path("two-factor/", two_factor.two_factor, name="two-factor"),
    path("security/", two_factor.security, name="security"),
    path("security/recovery-codes/", two_factor.recovery_codes_renew, name="recovery-codes"),
    # Passwords
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password-change"),
    path("password/change/done/", passwords.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", passwords.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/complete/", passwords.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    # Invitations
    path("invitations/", invitations.invitation_list, name="invitations"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation-revoke"),
    path("invitations/organisations/", invitations.invitation_organisations, name="invitation-organisations"),
    path("invitations/import/", invitations.invitation_import, name="invitation-import"),
    path("invitations/import/template.xlsx", invitations.invitation_import_template, name="invitation-import-template"),
    path("invitations/accept/<str:token>/", invitations.invitation_accept, name="invitation-accept"),
    # Users
    path("users/", users.user_list, name="users"),
    path("users/suggest/", users.user_suggest, name="user-suggest"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path("users/<int:pk>/role/", users.user_role, name="user-role"),
    path("users/<int:pk>/active/", users.user_active, name="user-active"),
    path("users/<int:pk>/second-factor/reset/", users.user_second_factor_reset, name="user-second-factor-reset"),
    path("users/<int:pk>/password/", users.user_password, name="user-password"),
    # Enterprise applications
    path("apply/", applications.apply, name="apply"),
    path("apply/received/", applications.apply_done, name="apply-done"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/approve/", applications.application_approve, name="application-approve"),
    path("applications/<int:pk>/refuse/", applications.application_refuse, name="application-refuse"),
]
