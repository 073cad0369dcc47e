"""Account pages: register, login, logout, reset, change password, tokens, users."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from deepwiki.accounts import limits, services
from deepwiki.core.models import SiteSettings
from deepwiki.transport.errors import is_api, json_error
from deepwiki.web.forms.accounts import LoginForm, RegisterForm, TokenForm
from deepwiki.wikis import selectors as wiki_selectors


def lockout_response(request, credentials=None, *args, **kwargs):
    """Explain a login lockout clearly (django-axes calls this)."""
    message = (
        "Too many failed sign-in attempts. For your security, signing in from "
        "your address is paused for 15 minutes. Try again later or reset your "
        "password."
    )
    if is_api(request):
        return json_error(429, message, "LOCKED_OUT")
    form = LoginForm(request)
    return render(
        request, "accounts/login.html", {"form": form, "lockout": message}, status=429
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


@limits.limited(limits.REGISTER)
def register(request):
    """Create an account, sign it in and land on the dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    site = SiteSettings.current()
    if not site.registration_open:
        return render(request, "accounts/register_closed.html", status=403)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to DeepWiki! Your account is ready.")
            return redirect("dashboard")
    return render(request, "accounts/register.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Always answer neutrally; the link in the mail uses DEEPWIKI_BASE_URL."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        services.password_reset_request(
            email=form.cleaned_data["email"], request=self.request
        )
        return redirect(self.success_url)


password_reset = limits.limited(limits.PASSWORD_RESET)(PasswordResetView.as_view())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        services.tokens_revoke_all(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change password; Django keeps this session and ends all the others."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = services.tokens_revoke_all(user=form.user)
        messages.success(
            self.request,
            "Your password was changed. Other sessions were signed out"
            + (" and your API tokens were revoked." if revoked else "."),
        )
        return response


@login_required
def account(request):
    """The user's own page: API tokens and password."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("name", exc.messages[0])
        else:
            form = TokenForm()
    tokens = request.user.api_tokens.all()
    offers = wiki_selectors.offer_list_for_user(request.user)
    return render(
        request,
        "accounts/account.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "offers": offers},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    if services.token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "Token revoked.")
    else:
        messages.error(request, "That token does not exist.")
    return redirect("account")
