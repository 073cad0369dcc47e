"""Home page (the dashboard itself lives in deepwiki.web.dashboard)."""

from django.shortcuts import redirect


def home(request):
    """Signed-in users go to their dashboard; others to sign in."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")
