"""Errors a catalog extractor raises; each names the source and the fix."""


class CatalogError(RuntimeError):
    """Extraction failed; the message names the source, the object and what to do."""


class SourceConnectionError(CatalogError):
    """The source database cannot be reached. The message never carries credentials."""


class ScriptsFolderError(CatalogError):
    """A scripts source's folder is missing, empty or unreadable."""
