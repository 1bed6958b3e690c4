from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from apps.audit import actions
from apps.audit.services import audit_record

from .forms import LoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user, action=actions.PASSWORD_CHANGE, obj=self.request.user, area=self.request.user.area
        )
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


@login_not_required
def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """Shown instead of the login form while an account is locked after repeated failures."""
    minutes = int(round(settings.AXES_COOLOFF_TIME * 60))
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
