"""jinasearch: private, local desktop search over a person's own documents by meaning and by words."""

__version__ = "0.1.0"
