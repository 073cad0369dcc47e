"""Wiki pages. `/-/` marks wiki-level pages, so any other path is a file path."""

from django.urls import path

from deepwiki.transport import files as files_views
from deepwiki.web.wikis import editing, history, listing, reading, upload
from deepwiki.web.wikis import settings as wiki_settings

W = "wikis/<slug:slug>/-/"

urlpatterns = [
    # Raw files and zip downloads (the wikis backend's views) come first.
    path(W + "raw/<path:path>", files_views.wiki_raw, name="wiki_raw"),
    path(W + "download", files_views.wiki_download, name="wiki_download"),
    path("wikis/", listing.wiki_list, name="wiki_list"),
    path("wikis/-/upload", upload.wiki_upload, name="wiki_upload"),
    path("wikis/-/bulk-delete", listing.wiki_bulk_delete, name="wiki_bulk_delete"),
    path(W + "upload", upload.wiki_upload_into, name="wiki_upload_into"),
    path(W + "edit/<path:path>", editing.wiki_edit, name="wiki_edit"),
    path(W + "preview", editing.wiki_preview, name="wiki_preview"),
    path(W + "new", editing.wiki_new_file, name="wiki_new_file"),
    path(W + "move/<path:path>", editing.wiki_move, name="wiki_move"),
    path(W + "delete/<path:path>", editing.wiki_delete_file, name="wiki_delete_file"),
    path(W + "history", history.wiki_history, name="wiki_history"),
    path(W + "diff/<int:a>/<int:b>", history.wiki_diff, name="wiki_diff"),
    path(W + "restore/<int:number>", history.wiki_restore, name="wiki_restore"),
    path(
        W + "v/<int:number>/", history.wiki_home_at_version, name="wiki_home_at_version"
    ),
    path(
        W + "v/<int:number>/<path:path>",
        history.wiki_page_at_version,
        name="wiki_page_at_version",
    ),
    path(W + "settings", wiki_settings.wiki_settings, name="wiki_settings"),
    path(W + "delete", wiki_settings.wiki_delete, name="wiki_delete"),
    path(W + "offer/cancel", wiki_settings.wiki_offer_cancel, name="wiki_offer_cancel"),
    path(
        "wikis/-/offers/<int:offer_id>/accept",
        wiki_settings.offer_answer,
        {"answer": "accept"},
        name="wiki_offer_accept",
    ),
    path(
        "wikis/-/offers/<int:offer_id>/decline",
        wiki_settings.offer_answer,
        {"answer": "decline"},
        name="wiki_offer_decline",
    ),
    path(W + "links", reading.wiki_links, name="wiki_links"),
    path(W + "folder/", reading.wiki_folder, name="wiki_folder_root"),
    path(W + "folder/<path:path>", reading.wiki_folder, name="wiki_folder"),
    path(W + "tree/<path:path>", reading.wiki_tree_fragment, name="wiki_tree_fragment"),
    path("wikis/<slug:slug>/", reading.wiki_home, name="wiki_home"),
    path("wikis/<slug:slug>/<path:path>", reading.wiki_page, name="wiki_page"),
]
