"""Forms of the wiki pages: shape only; rules and permissions live in services."""

from __future__ import annotations

from django import forms
from django.conf import settings

from deepwiki.wikis.models import Visibility
from deepwiki.wikis.services.common import clean_tags

SORTS = [("updated", "Recently updated"), ("title", "Title"), ("created", "Newest")]
MESSAGE_HELP = "Optional. Say what changed; it appears in the history."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [
                super(MultipleFileField, self).clean(item, initial) for item in data
            ]
        return [super().clean(data, initial)] if data else []


class TagsField(forms.CharField):
    """Comma-separated tags in, a list of names out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("help_text", "Separate tags with commas.")
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_tags(super().clean(value) or "") or []


class WikiListForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Filter")
    tag = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(required=False, choices=SORTS, label="Sort by")

    def cleaned_or_defaults(self) -> dict:
        """Bad query parameters fall back to the defaults instead of an error page."""
        if self.is_valid():
            data = self.cleaned_data
            return {
                "q": data["q"].strip() or None,
                "tag": data["tag"].strip() or None,
                "sort": data["sort"] or "updated",
            }
        return {"q": None, "tag": None, "sort": "updated"}


class MetaFieldsMixin(forms.Form):
    """Title, description, tags and visibility, all optional on upload."""

    title = forms.CharField(
        required=False,
        max_length=200,
        help_text="Leave empty to take it from the entry page.",
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = TagsField()
    visibility = forms.ChoiceField(choices=Visibility.choices)


class FilesOrArchive(forms.Form):
    """Some files or one .zip archive, never both and never nothing."""

    files = MultipleFileField(required=False, label="Files")
    archive = forms.FileField(required=False, label=".zip archive")

    def clean(self):
        data = super().clean()
        if not data.get("files") and not data.get("archive"):
            raise forms.ValidationError("Choose files, a folder or a .zip archive.")
        if data.get("files") and data.get("archive"):
            raise forms.ValidationError(
                "Upload either files or a .zip archive, not both."
            )
        return data


class UploadForm(FilesOrArchive, MetaFieldsMixin):
    """Create a wiki from files (with folders when JS sends their paths) or a zip."""


class UploadIntoForm(FilesOrArchive):
    MODES = [
        ("merge", "Add and overwrite these files, keep the others"),
        ("replace", "Replace the whole wiki with these files"),
    ]
    mode = forms.ChoiceField(choices=MODES, initial="merge", widget=forms.RadioSelect)
    message = forms.CharField(
        required=False, max_length=500, label="Change message", help_text=MESSAGE_HELP
    )


class EditForm(forms.Form):
    content = forms.CharField(
        required=False,
        strip=False,
        max_length=settings.DEEPWIKI_LIMITS["file_bytes"],
        widget=forms.Textarea(
            attrs={"class": "editor-textarea", "spellcheck": "true", "rows": 24}
        ),
        label="Markdown",
    )
    message = forms.CharField(
        required=False, max_length=500, label="Change message", help_text=MESSAGE_HELP
    )
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NewFileForm(forms.Form):
    path = forms.CharField(
        max_length=1000,
        label="Path",
        help_text="Folders are separated by “/”, e.g. guide/install.md.",
    )
    content = EditForm.base_fields["content"]
    message = forms.CharField(
        required=False, max_length=500, label="Change message", help_text=MESSAGE_HELP
    )

    def clean_path(self) -> str:
        path = self.cleaned_data["path"].strip().strip("/")
        if path and "." not in path.rsplit("/", 1)[-1]:
            path += ".md"
        return path


class MoveForm(forms.Form):
    new_path = forms.CharField(max_length=1000, label="New path")
    message = forms.CharField(
        required=False, max_length=500, label="Change message", help_text=MESSAGE_HELP
    )

    def clean_new_path(self) -> str:
        return self.cleaned_data["new_path"].strip().strip("/")


class MessageForm(forms.Form):
    message = forms.CharField(
        required=False, max_length=500, label="Change message", help_text=MESSAGE_HELP
    )


class SettingsForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = TagsField()
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text="Private: you and admins. Internal: every signed-in user. "
        "Public: anyone, also without an account.",
    )
    owner = forms.EmailField(
        required=False,
        label="Owner (e-mail)",
        help_text="To hand the wiki over, enter the new owner’s address: they get "
        "an offer on their account page and become the owner when they accept "
        "(an admin’s change applies at once).",
    )


class DeleteWikiForm(forms.Form):
    confirm = forms.CharField(max_length=100, label="Type the wiki’s slug to confirm")

    def __init__(self, *args, slug: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.slug:
            raise forms.ValidationError(
                f"Type “{self.slug}” exactly to delete this wiki."
            )
        return value
