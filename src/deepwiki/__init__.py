"""DeepWiki: a self-hosted documentation wiki."""

__version__ = "0.1.0"
