"""ASGI entry point (not used by the default gunicorn setup)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepwiki.config.settings")
application = get_asgi_application()
