"""structlog setup: JSON lines in production, readable lines in development."""

from __future__ import annotations

import contextvars

import structlog

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="")


def _add_request_context(logger, method_name, event_dict):
    rid = request_id_var.get()
    if rid and "request_id" not in event_dict:
        event_dict["request_id"] = rid
    uid = user_id_var.get()
    if uid and "user_id" not in event_dict:
        event_dict["user_id"] = uid
    return event_dict


SHARED = [
    structlog.contextvars.merge_contextvars,
    _add_request_context,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
]


def build_logging_config(*, level: str, fmt: str) -> dict:
    """Return a logging dictConfig that routes stdlib and structlog alike."""
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": SHARED,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info
            if fmt == "json"
            else (lambda _logger, _name, event: event),
            _rename_event,
            renderer,
        ],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
            "axes": {"level": "WARNING"},
            "botocore": {"level": "WARNING"},
            "urllib3": {"level": "WARNING"},
        },
    }


def _rename_event(logger, method_name, event_dict):
    """Use `message` for the event text, as log tools expect."""
    if "event" in event_dict:
        event_dict["message"] = event_dict.pop("event")
    return event_dict
