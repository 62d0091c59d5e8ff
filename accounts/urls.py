from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import NewPasswordForm, ResetForm
from ketamine_directory.referrer_policy import keep_tokens_from_referers

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-email/", views.resend_confirmation, name="resend_confirmation"),
    path("email-confirmed/", views.confirmed_for_another, name="confirmed_for_another"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("password/", views.change_password, name="password_change"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            form_class=ResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            # Not registration/...: the admin's templates of those names come first.
            template_name="accounts/password_reset/form.html",
            email_template_name="accounts/password_reset/email.txt",
            subject_template_name="accounts/password_reset/subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset/done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        # Django moves on from the emailed link to ".../set-password/", the
        # form, without the token; the link's own responses keep it from Referers.
        keep_tokens_from_referers(
            views.PasswordResetConfirmView.as_view(
                form_class=NewPasswordForm,
                template_name="accounts/password_reset/confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset/complete.html"
        ),
        name="password_reset_complete",
    ),
]
