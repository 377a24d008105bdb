"""Spider contracts that work offline (`scrapy check`).

@mirror SITE/PATH   the sample request reads the bundled demo mirror (crawler/demo/mirror) through
                    a file:// URL instead of the live site, so checks need no network.
@cleans EXTRACTOR   every PageItem the callback returns cleans (cleaners.clean) to an ok article
                    made by EXTRACTOR (e.g. site:rt: any template of it, site:rt/2026).
"""
from __future__ import annotations

from pathlib import Path

from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail

MIRROR = Path(__file__).resolve().parent / "demo" / "mirror"


class MirrorContract(Contract):
    name = "mirror"

    def adjust_request_args(self, args):
        path = MIRROR / self.args[0]
        if not path.exists():
            raise ContractFail(f"{path} is not in the demo mirror")
        args["url"] = path.as_uri()
        meta = dict(args.get("meta") or {})
        meta.setdefault("source", "link")
        meta["download_slot"] = f"mirror:{self.args[0]}"  # no politeness delay for local files
        args["meta"] = meta
        return args


class CleansContract(Contract):
    name = "cleans"

    def post_process(self, output):
        from .items import PageItem
        from .rows import page_to_row

        pages = [x for x in output if isinstance(x, PageItem)]
        if not pages:
            raise ContractFail("no page was returned")
        want = self.args[0] if self.args and self.args[0] else None
        for page in pages:
            row = page_to_row(page, None)
            if row["status"] != "ok":
                raise ContractFail(f"{page.get('url')}: status {row['status']} ({row['error']})")
            # "site:rt" is met by any of the site's templates ("site:rt/2026")
            if want and row["extractor"] != want and not str(row["extractor"]).startswith(want + "/"):
                raise ContractFail(f"{page.get('url')}: extractor {row['extractor']}, expected {want}")
