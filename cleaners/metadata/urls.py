"""URL helpers: the registered domain of a page (the public-suffix list ships with tldextract,
so nothing is fetched at run time)."""
from __future__ import annotations

from functools import lru_cache

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def _domain_of_host(host: str) -> str | None:
    parts = _EXTRACT(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return None  # an IP address, localhost or an intranet name: no registered domain


def registered_domain(url: str | None) -> str | None:
    """'https://actualidad.rt.com/x' -> 'rt.com'; None for IP addresses, localhost and no host."""
    from ..registry import host_of

    host = host_of(url)
    return _domain_of_host(host) if host else None
