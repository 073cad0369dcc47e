"""HTML pages of the wikis app; each module covers one area (reading, editing, …)."""
