"""The REST API's responses are typed: /openapi.json describes every body, each payload fits
its model with no key the model does not name, and a record has one JSON shape whether the
CLI (``--json``) or REST gives it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from newsweave import IngestReport, Newsweave
from newsweave.web import schemas
from newsweave.web.app import create_app
from newsweave.web.jobs import Job
from newsweave.web.server import Settings
from tests.helpers import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, IngestReport]:
    db = str(tmp_path_factory.mktemp("schema") / "demo.db")
    with Newsweave(db) as news:
        report = news.ingest_demo()
    return db, report


@pytest.fixture(scope="module")
def client(demo: tuple[str, IngestReport]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(demo[0]))) as test_client:
        yield test_client


def unnamed_keys(value: Any, where: str = "") -> list[str]:
    """Where a validated payload holds a key its model does not name (``extra="allow"``)."""
    if isinstance(value, BaseModel):
        found = [f"{where}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += unnamed_keys(getattr(value, name), f"{where}.{name}")
        return found
    if isinstance(value, list | tuple):
        return [key for item in value for key in unnamed_keys(item, f"{where}[]")]
    if isinstance(value, dict):
        return [key for k, item in value.items() for key in unnamed_keys(item, f"{where}.{k}")]
    return []


def fits(model: type[BaseModel], payload: Any) -> None:
    validated = model.model_validate(payload)
    assert not unnamed_keys(validated), f"{model.__name__}: {unnamed_keys(validated)}"
    for name, field in model.model_fields.items():
        assert name in payload or not field.is_required(), f"{model.__name__} lacks {name}"


def _schema(spec: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    ref = found.get("$ref")
    if ref is None:
        return found
    resolved: dict[str, Any] = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return resolved


def test_every_answer_of_the_api_has_a_schema(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    api_paths = [path for path in spec["paths"] if path.startswith("/api/v1/")]
    assert "/api/v1/outlets" in api_paths and "/api/v1/live" in api_paths
    for path in api_paths:
        for method, operation in spec["paths"][path].items():
            answers = operation["responses"]
            ok = "200" if method == "get" else "202"
            for status in (ok, "404", "422"):
                body = answers[status]["content"]["application/json"]["schema"]
                described = _schema(spec, body)
                assert described.get("properties"), f"{method} {path} {status}: {described}"


def _urls(client: TestClient) -> dict[str, type[BaseModel]]:
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]["id"]
    article = client.get("/api/v1/articles", params={"limit": 1}).json()["items"][0]["id"]
    storyline = client.get("/api/v1/storylines").json()["items"][0]["id"]
    copied = client.get("/api/v1/search", params={"q": "Aldermoor standstill"}).json()
    return {
        "/api/v1/stats": schemas.Stats,
        "/api/v1/articles?limit=200": schemas.Page[schemas.ArticleListing],
        f"/api/v1/articles/{article}": schemas.ArticleDetail,
        f"/api/v1/articles/{article}?annotations=true": schemas.ArticleDetail,
        f"/api/v1/articles/{copied['items'][0]['id']}": schemas.ArticleDetail,
        "/api/v1/events?limit=200": schemas.Page[schemas.Event],
        f"/api/v1/events/{event}": schemas.EventDetail,
        "/api/v1/storylines": schemas.Page[schemas.Storyline],
        f"/api/v1/storylines/{storyline}": schemas.StorylineDetail,
        "/api/v1/actors?limit=200": schemas.Page[schemas.Actor],
        "/api/v1/actors/Ruth Calloway": schemas.ActorDetail,
        "/api/v1/actors/Marek Dovlan": schemas.ActorDetail,
        "/api/v1/quotes?limit=200": schemas.Page[schemas.Quote],
        "/api/v1/outlets": schemas.Page[schemas.Outlet],
        "/api/v1/outlets/The Daily Clarion": schemas.Outlet,
        "/api/v1/search?q=strike": schemas.Page[schemas.ArticleListing],
        "/api/v1/live": schemas.Live,
        "/api/v1/events/ev-nope": schemas.Error,
        "/api/v1/articles?since=soon": schemas.Error,
        "/api/v1/articles?limit=0": schemas.Error,
    }


def test_every_payload_fits_its_model(client: TestClient) -> None:
    for url, model in _urls(client).items():
        answer = client.get(url)
        assert answer.status_code < 300 or model is schemas.Error, url
        fits(model, answer.json())
    for event in client.get("/api/v1/events", params={"limit": 200}).json()["items"]:
        fits(schemas.Comparison, client.get(f"/api/v1/events/{event['id']}/comparison").json())


def test_write_answers_fit_their_models(demo: tuple[str, IngestReport]) -> None:
    fits(schemas.IngestReport, {**demo[1].to_dict(), "job": "j-1"})
    job = Job("j-1", None)
    fits(schemas.Job, job.to_dict())
    job.finish({"report": demo[1].to_dict()})
    fits(schemas.Job, job.to_dict())


def _cli_json(db: str, *args: str) -> Any:
    run = cli(*args, "--db", db, "--json")
    assert run.code == 0, run.stderr
    return json.loads(run.stdout)


def test_the_cli_and_rest_give_one_shape_per_record(
    demo: tuple[str, IngestReport], client: TestClient
) -> None:
    db = demo[0]
    event = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]["id"]
    article = client.get("/api/v1/articles", params={"limit": 1}).json()["items"][0]["id"]
    storyline = client.get("/api/v1/storylines").json()["items"][0]["id"]
    same = {
        ("events", "show", event): f"/api/v1/events/{event}",
        ("articles", "show", article): f"/api/v1/articles/{article}",
        ("articles", "show", article, "--annotations"): f"/api/v1/articles/{article}"
        "?annotations=true",
        ("storylines", "show", storyline): f"/api/v1/storylines/{storyline}",
        ("actors", "show", "Ruth Calloway"): "/api/v1/actors/Ruth Calloway",
        ("compare", event): f"/api/v1/events/{event}/comparison",
        ("outlets", "show", "The Daily Clarion"): "/api/v1/outlets/The Daily Clarion",
        ("stats",): "/api/v1/stats",
    }
    for args, url in same.items():
        assert _cli_json(db, *args) == client.get(url).json(), url
    lists = {
        ("events", "list", "--limit", "5"): ("events", "/api/v1/events?limit=5"),
        ("articles", "list", "--limit", "5"): ("articles", "/api/v1/articles?limit=5"),
        ("actors", "list", "--limit", "5"): ("actors", "/api/v1/actors?limit=5"),
        ("quotes", "--limit", "5"): ("quotes", "/api/v1/quotes?limit=5"),
        ("storylines", "list"): ("storylines", "/api/v1/storylines"),
        ("outlets", "list", "--limit", "5"): ("outlets", "/api/v1/outlets?limit=5"),
    }
    for args, (key, url) in lists.items():
        assert _cli_json(db, *args)[key] == client.get(url).json()["items"], url
