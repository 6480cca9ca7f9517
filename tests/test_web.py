"""The REST API and the pages, over a demo store, through the real ASGI app; and a real
``newsweave serve`` process on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsweave import Newsweave
from newsweave.web.app import create_app
from newsweave.web.process import serving
from newsweave.web.server import MAX_BODY_BYTES, Settings

TOKEN = "s3cret-token"
HOSTILE = {
    "title": "<script>alert(1)</script>Quay protest",
    "source": "Evil Gazette",
    "published": "2023-12-05T09:00:00+00:00",
    "text": "Dockers marched on the quay. <img src=x onerror=alert(2)> They said it was over.",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("web") / "demo.db")
    with Newsweave(db) as news:
        news.ingest_demo()
    return db


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store, TOKEN))) as test_client:
        yield test_client


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/v1/stats", "/live", "/nope"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_lists_page_through(client: TestClient) -> None:
    first = client.get("/api/v1/articles", params={"limit": 10}).json()
    assert first["total"] == 47 and len(first["items"]) == 10 and first["next_offset"] == 10
    seen = {a["id"] for a in first["items"]}
    offset = first["next_offset"]
    while offset is not None:
        page = client.get("/api/v1/articles", params={"limit": 10, "offset": offset}).json()
        seen |= {a["id"] for a in page["items"]}
        offset = page["next_offset"]
    assert len(seen) == 47
    events = client.get("/api/v1/events", params={"limit": 5}).json()
    assert events["total"] == 11 and events["next_offset"] == 5


def test_each_read_endpoint(client: TestClient) -> None:
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/api/v1/events/{event['id']}").json()["articles"]
    comparison = client.get(f"/api/v1/events/{event['id']}/comparison").json()
    assert comparison["conflicts"] and comparison["summary"]
    storyline = client.get("/api/v1/storylines").json()["items"][0]
    assert client.get(f"/api/v1/storylines/{storyline['id']}").json()["events"]
    article = client.get("/api/v1/articles", params={"limit": 1}).json()["items"][0]
    detail = client.get(f"/api/v1/articles/{article['id']}", params={"annotations": True}).json()
    assert detail["annotations"]["mentions"] and "text" in detail
    actors = client.get("/api/v1/actors", params={"kind": "person", "limit": 5}).json()
    assert all(a["kind"] == "person" for a in actors["items"])
    dovlan = client.get("/api/v1/actors/Marek Dovlan").json()
    assert dovlan["quotes"] and "Dovlan" in {a["text"] for a in dovlan["aliases"]}
    quotes = client.get("/api/v1/quotes", params={"speaker": "Ruth Calloway"}).json()
    assert quotes["items"] and {q["speaker_actor"] for q in quotes["items"]} == {
        quotes["items"][0]["speaker_actor"]
    }
    assert client.get("/api/v1/stats").json()["articles"] == 47
    live = client.get("/api/v1/live").json()
    assert live["items"] and len(live["articles"]) == 20 and live["stats"]["articles"] == 47
    assert detail["event_id"] and dovlan["related"]
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "newsweave"


def test_search_by_text_actor_outlet_and_dates(client: TestClient) -> None:
    hits = client.get("/api/v1/search", params={"q": "strike"}).json()
    assert hits["total"] > 0
    by_actor = client.get("/api/v1/search", params={"actor": "Ruth Calloway"}).json()
    assert by_actor["total"] >= 5
    narrowed = client.get(
        "/api/v1/search",
        params={"actor": "Ruth Calloway", "outlet": "The Daily Clarion", "since": "2023-01-01"},
    ).json()
    assert 0 < narrowed["total"] < by_actor["total"]
    assert all(a["outlet"] == "The Daily Clarion" for a in narrowed["items"])
    second = client.get("/api/v1/search", params={"actor": "Ruth Calloway", "limit": 2}).json()
    assert len(second["items"]) == 2 and second["next_offset"] == 2
    nobody = client.get("/api/v1/search", params={"actor": "Nobody Atall"}).json()
    assert nobody["total"] == 0 and nobody["items"] == []
    calloway = client.get("/api/v1/actors/Ruth Calloway").json()
    for article in by_actor["items"]:
        assert article["id"] in calloway["article_ids"]


def test_api_page_lists_every_endpoint(client: TestClient) -> None:
    page = client.get("/api").text
    schema = client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/events/ev-nope", 404),
        ("/api/v1/events/ev-nope/comparison", 404),
        ("/api/v1/articles/ffffffffffffffff", 404),
        ("/api/v1/actors/Nobody Atall", 404),
        ("/api/v1/storylines/st-nope", 404),
        ("/api/v1/articles?limit=0", 422),
        ("/api/v1/articles?limit=many", 422),
        ("/api/v1/articles?offset=-1", 422),
        ("/api/v1/articles?since=yesterday", 422),
        ("/api/v1/actors?kind=alien", 422),
    ],
)
def test_bad_requests_get_clear_errors(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/events/ev-nope", 404, "no event &#39;ev-nope&#39;"),
        ("/actors/Nobody Atall", 404, "no actor &#39;Nobody Atall&#39;"),
        ("/no-such-page", 404, "Not Found"),
    ],
)
def test_missing_pages_get_an_error_page(
    client: TestClient, url: str, status: int, says: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert (
        says in response.text and "script-src 'self'" in response.headers["content-security-policy"]
    )


def test_writes_need_the_token(client: TestClient) -> None:
    record = {"title": "A", "text": "Some text about the quay.", "source": "X"}
    assert client.post("/api/v1/articles", json=[record]).status_code == 401
    wrong = client.post("/api/v1/articles", json=[record], headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401


def test_writes_are_off_without_a_token(store: str) -> None:
    with TestClient(create_app(Settings(store))) as reader:
        answer = reader.post("/api/v1/articles", json=[], headers={"Authorization": "Bearer x"})
        assert answer.status_code == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'"a string"', 422),
        (b"[]", 422),
        (b"[1, 2]", 422),
        (json.dumps([{"author": "no text, no title"}]).encode(), 422),
        (b"[" + b" " * (MAX_BODY_BYTES + 10) + b"]", 413),
    ],
)
def test_bad_bodies(client: TestClient, body: bytes, status: int) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    answer = client.post("/api/v1/articles?wait=true", content=body, headers=headers)
    assert answer.status_code == status


def test_a_post_is_a_job_to_follow(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    record = {"title": "Ferry timetable", "text": "The ferry keeps its winter timetable."}
    answer = client.post("/api/v1/articles", json=[record], headers=headers)
    assert answer.status_code == 202
    job = answer.json()
    assert answer.headers["location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    for _ in range(600):
        job = client.get(job["url"], headers=headers).json()
        if job["state"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert job["state"] == "done" and job["report"]["read"] == 1, job
    assert client.get(job["url"]).status_code == 401  # the token is needed to follow it
    assert client.get("/api/v1/jobs/nope", headers=headers).status_code == 404


def test_posted_articles_are_ingested_and_stay_inert(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    answer = client.post("/api/v1/articles?wait=true", json=[HOSTILE], headers=headers)
    assert answer.status_code == 201 and answer.json()["new"] == 1
    again = client.post("/api/v1/articles?wait=true", json=[HOSTILE], headers=headers).json()
    assert again["new"] == 0 and again["already_stored"] == 1
    found = client.get("/api/v1/search", params={"q": "quay"}).json()["items"]
    article = next(a for a in found if a["outlet"] == "Evil Gazette")
    for url in (f"/articles/{article['id']}", "/", "/search?q=quay", "/live"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in client.get(f"/articles/{article['id']}").text


def test_pages_show_what_they_must(client: TestClient) -> None:
    index = client.get("/").text
    assert "Storylines and events" in index and "Camp Halden" in index
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
    page = client.get(f"/events/{event['id']}").text
    assert "More than 2,200" in page and "Quote variants" in page and "strongman" in page
    member = client.get(f"/api/v1/events/{event['id']}").json()["articles"][0]
    assert f'href="/events/{event["id"]}">its event' in client.get(f"/articles/{member['id']}").text
    actor = client.get("/actors/Marek Dovlan").text
    assert "Quotes over time" in actor and "Actions" in actor
    assert "Port Aldermoor" in client.get("/search", params={"q": "Aldermoor"}).text
    assert "not a date" in client.get("/search", params={"since": "soon"}).text
    live = client.get("/live").text
    assert '<script src="/static/live.js">' in live
    assert client.get("/static/live.js").status_code == 200


def test_newsweave_serve_answers_on_loopback(store: str) -> None:
    with serving(store) as base:
        answer = httpx.get(f"{base}/api/v1/stats", timeout=10)
        assert base.startswith("http://127.0.0.1:")
        assert answer.json()["articles"] >= 47
        assert "Content-Security-Policy" in answer.headers
        refused = httpx.post(f"{base}/api/v1/articles", json=HOSTILE, timeout=10)
        assert refused.status_code == 403  # no token given: writes are off


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    from tests.helpers import cli

    result = cli("serve", "--db", str(tmp_path / "none.db"))
    assert result.code == 1 and "no such store" in result.stderr


def test_cached_answers_go_stale_when_the_store_changes(store: str) -> None:
    with TestClient(create_app(Settings(store))) as reader:
        first = reader.get("/api/v1/stats").json()["articles"]
        assert reader.get("/api/v1/stats").json()["articles"] == first  # now from the cache
        with Newsweave(store) as writer:  # another connection, as newsweave ingest would be
            writer.add(
                [{"title": "Lock gates serviced", "text": "The Wend lock gates were serviced."}],
                annotate=False,
            )
        assert reader.get("/api/v1/stats").json()["articles"] == first + 1
        page = reader.get("/search", params={"q": "serviced"})
        assert "Lock gates serviced" in page.text
        assert "Content-Security-Policy" in page.headers
        assert reader.get("/search", params={"q": "serviced"}).headers == page.headers


def test_serve_refuses_an_unreadable_loaded_terms_list(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import cli

    monkeypatch.setenv("NEWSWEAVE_LOADED_TERMS", str(tmp_path / "missing.txt"))
    result = cli("serve", "--db", store)
    assert result.code == 1 and "cannot read the loaded-terms list" in result.stderr
