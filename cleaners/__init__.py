"""newsclean's cleaners: `clean()` turns a news page or a text dump into an `Article`."""
from .article import CLEANER_VERSION, ERROR_STATUSES, STATUS_OK, Article, Extracted
from .core import MAX_BYTES, clean

__all__ = ["Article", "Extracted", "clean", "CLEANER_VERSION", "ERROR_STATUSES", "STATUS_OK", "MAX_BYTES"]
__version__ = CLEANER_VERSION
