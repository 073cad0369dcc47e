"""The search page's query and filters (GET, so every search is a shareable URL)."""

from __future__ import annotations

from django import forms

from deepwiki.search.scope import SearchFilters

TYPE_CHOICES = [
    ("", "Any type"),
    ("markdown", "Pages"),
    ("image", "Images"),
    ("attachment", "Attachments"),
]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=500)
    wiki = forms.ChoiceField(label="Wiki", required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=50)
    type = forms.ChoiceField(label="Type", required=False, choices=TYPE_CHOICES)
    updated_from = forms.DateField(
        label="Updated after",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    updated_to = forms.DateField(
        label="Updated before",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=500, widget=forms.HiddenInput
    )

    def __init__(self, *args, wikis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wiki"].choices = [("", "All wikis")] + [
            (w.slug, w.title) for w in wikis
        ]
        self.fields["updated_from"].input_formats = ["%Y-%m-%d"]
        self.fields["updated_to"].input_formats = ["%Y-%m-%d"]

    def clean(self):
        data = super().clean()
        start, end = data.get("updated_from"), data.get("updated_to")
        if start and end and start > end:
            self.add_error(
                "updated_to", "Choose a date on or after the “Updated after” date."
            )
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            wiki=data.get("wiki") or "",
            tag=(data.get("tag") or "").strip(),
            file_type=data.get("type") or "",
            updated_from=data.get("updated_from"),
            updated_to=data.get("updated_to"),
        )

    def has_filters(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(k) for k in ("wiki", "tag", "type", "updated_from", "updated_to")
        )
