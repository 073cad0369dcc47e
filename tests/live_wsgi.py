"""DeepWiki's WSGI app plus an `X-Worker-Pid` header, for live multi-worker tests."""

import os

from deepwiki.config.wsgi import application as deepwiki_application


def application(environ, start_response):
    """Answer like DeepWiki and say which worker process answered."""

    def start(status, headers, exc_info=None):
        return start_response(
            status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info
        )

    return deepwiki_application(environ, start)
