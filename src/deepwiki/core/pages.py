"""Home and dashboard pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


def home(request):
    """Signed-in users go to their dashboard; others to sign in."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")


@login_required
def dashboard(request):
    """The user's start page."""
    return render(request, "core/dashboard.html")
