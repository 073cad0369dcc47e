"""markdown-it-py plugins written for DeepWiki."""
