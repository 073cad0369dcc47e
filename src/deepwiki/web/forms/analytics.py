"""Forms of the dashboard and the admin pages (shape only; rules live in services)."""

from __future__ import annotations

from django import forms

from deepwiki.accounts.models import Role, User
from deepwiki.activity.models import MaintenanceRun
from deepwiki.analytics.feed import feed_types_for
from deepwiki.core.models import VISIBILITY_CHOICES, SiteSettings
from deepwiki.wikis.permissions import is_admin, readable_wikis


class FeedFilterForm(forms.Form):
    """Filter the activity feed; the choices are what the reader may see."""

    type = forms.ChoiceField(label="Type", required=False)
    wiki = forms.ChoiceField(label="Wiki", required=False)
    user = forms.ChoiceField(label="Person", required=False)

    def __init__(self, data=None, *, reader, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", "All activity")] + [
            (t.key, t.label) for t in feed_types_for(reader)
        ]
        wikis = readable_wikis(reader).order_by("title").values_list("slug", "title")
        self.fields["wiki"].choices = [("", "All wikis")] + list(wikis[:500])
        if is_admin(reader):
            people = User.objects.order_by("email").values_list("pk", "email")
            self.fields["user"].choices = [("", "Everyone")] + [
                (str(pk), email) for pk, email in people[:1000]
            ]
        else:
            self.fields["user"].choices = [
                ("", "Everyone"),
                (str(reader.pk), "Only me"),
            ]

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, not guessed)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        user = data.get("user") or ""
        return {
            "type": data.get("type") or "",
            "wiki": data.get("wiki") or "",
            "actor": int(user) if user.isdigit() else None,
        }


class UserFilterForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=254, label="Search by e-mail or name"
    )
    role = forms.ChoiceField(
        required=False, label="Role", choices=[("", "Any role"), *Role.choices]
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), ("active", "Active"), ("inactive", "Deactivated")],
    )


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = [
            "site_name",
            "welcome_message",
            "registration_open",
            "default_visibility",
        ]
        labels = {
            "site_name": "Site name",
            "welcome_message": "Welcome message",
            "registration_open": "Anyone can create an account",
            "default_visibility": "Default visibility of new wikis",
        }
        help_texts = {
            "site_name": "Shown in the header, page titles and e-mails.",
            "welcome_message": "Shown on everyone's dashboard. Plain text.",
            "registration_open": "When off, only admins can add people (the sign-up page says registration is closed).",
        }
        widgets = {
            "welcome_message": forms.Textarea(attrs={"rows": 3}),
            "default_visibility": forms.Select(choices=VISIBILITY_CHOICES),
        }


class MaintenanceForm(forms.Form):
    action = forms.ChoiceField(choices=MaintenanceRun.Kind.choices)
    dry_run = forms.BooleanField(required=False)
    force = forms.BooleanField(required=False)

    def options(self) -> dict:
        """The options that apply to the chosen action."""
        action = self.cleaned_data["action"]
        if action == MaintenanceRun.Kind.CLEANUP:
            return {"dry_run": self.cleaned_data["dry_run"]}
        if action == MaintenanceRun.Kind.RERENDER:
            return {"force": self.cleaned_data["force"]}
        return {}
