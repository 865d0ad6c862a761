"""Writing through a running ``kg serve``: the client side of ``POST /articles`` and
``DELETE /articles/{id}``.

While ``kg serve`` holds an on-disk store nobody else may write to it. ``kg ingest`` and
``kg remove`` with ``--store http://HOST:PORT/`` (the server's address) send their
articles or ids to the server instead, with ``Authorization: Bearer $KG_UPDATE_TOKEN``;
the server extracts, merges and updates its live network as for any client. Only the
standard library is used, so the command line needs no HTTP package.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import NotFoundError, StoreError
from kg.models import Article

__all__ = ["KgServer", "batches"]

#: Articles per request, and the JSON size a request stays under (the server refuses
#: bodies over KG_MAX_BODY_BYTES, 5 MB by default).
BATCH_ARTICLES = 25
BATCH_BYTES = 1_000_000
#: Seconds to wait for an answer: the server extracts a whole batch before it answers.
TIMEOUT = 600.0


class KgServer:
    """The write routes of the ``kg serve`` at ``url``."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        self._token = token

    def post_articles(self, articles: list[Article]) -> dict[str, Any]:
        """Ingest ``articles`` on the server; its ``IngestOut`` answer."""
        body = json.dumps([_record(a) for a in articles], ensure_ascii=False).encode("utf-8")
        return self._send("POST", "/articles", body)

    def delete_article(self, article_id: str) -> dict[str, Any]:
        """Remove one article on the server; NotFoundError when it holds no such article."""
        return self._send("DELETE", "/articles/" + urllib.parse.quote(article_id, safe=""))

    def _send(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self.url + path, body, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raise self._error(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the kg server at {self.url} ({reason})") from None

    def _error(self, error: urllib.error.HTTPError) -> Exception:
        try:
            detail = json.load(error).get("detail")
        except (ValueError, AttributeError, OSError):
            detail = None
        detail = detail if isinstance(detail, str) else error.reason
        if error.code == 404 and "/articles/" in (error.url or ""):
            return NotFoundError(detail)
        if error.code == 401 and not self._token:
            detail = f"{detail} (set KG_UPDATE_TOKEN to the server's token)"
        return StoreError(f"the kg server at {self.url} answered {error.code}: {detail}")


def batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """``articles`` in lists small enough for one request each."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        length = len(article.text.encode("utf-8")) + 512
        if batch and (len(batch) == BATCH_ARTICLES or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += length
    if batch:
        yield batch


def _record(article: Article) -> dict[str, str]:
    record = {"id": article.id, "text": article.text}
    for name in ("title", "url", "source"):
        if value := getattr(article, name):
            record[name] = value
    if article.date:
        record["date"] = article.date.isoformat()
    return record
