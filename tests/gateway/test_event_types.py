"""The event-type catalogue: every type a service can emit, each with its data's JSON Schema
and a Chinese description, derived from the published contracts."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from gateway import event_types
from gateway.event_types import CATALOGUE, SERVICES, EventType, known
from kit.events.envelope import event_type
from kit.testing import Platform

from tests.factories import make_uscc

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
EVENT_TYPES = "/api/v1/webhooks/event-types"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def publishing_services() -> list[str]:
    """Every service with an ``events.py`` (the aggregates it publishes)."""
    return sorted(p.parent.name for p in SERVICES_DIR.glob("*/events.py"))


def _names_an_event(call: ast.Call) -> tuple[str, ast.expr] | None:
    """``(X, NAME)`` of a call whose arguments are ``…, events.X, NAME, …``."""
    for arg, name in zip(call.args, call.args[1:], strict=False):
        if (
            isinstance(arg, ast.Attribute)
            and isinstance(arg.value, ast.Name)
            and arg.value.id == "events"
        ):
            return arg.attr, name
    return None


def _flow_of(node: ast.AST) -> tuple[str, str] | None:
    """``(FLOW, X)`` of ``FLOW = Flow(…, aggregate=events.X, …)`` (``kit.flow``: it publishes
    ``X.<state>`` at every step, and what its ``publish`` names)."""
    if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
        return None
    if _called(node.value) != "Flow" or not isinstance(node.targets[0], ast.Name):
        return None
    for kw in node.value.keywords:
        value = kw.value
        if kw.arg == "aggregate" and isinstance(value, ast.Attribute):
            return node.targets[0].id, value.attr
    return None


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def emit_calls(service: str) -> list[tuple[str, ast.expr, str]]:
    """Every call of the service's code that names an aggregate, then an event —
    ``outbox.emit(session, events.X, NAME, …)``, ``outbox.event(events.X, NAME, …)``, the
    same through an alias, and the calls of a helper that passes its own parameter on as
    NAME (``publish(session, ctx, e, "promoted")``), a ``kit.flow.Flow`` (its steps, a state
    held in a variable) and its ``publish`` calls: (aggregate, the NAME expression, where)."""
    aggregates = importlib.import_module(f"{service}.events")
    trees = {
        path.relative_to(SERVICES_DIR): ast.parse(path.read_text(), str(path))
        for path in sorted((SERVICES_DIR / service).rglob("*.py"))
    }
    found = []
    helpers: dict[str, tuple[str, int]] = {}  # helper → (aggregate, its NAME parameter)
    flows: dict[str, str] = {}  # a Flow's name → its aggregate
    for where, tree in trees.items():
        for node in ast.walk(tree):
            if flow := _flow_of(node):
                flows[flow[0]] = flow[1]
                state = ast.Name(id="row.state")  # each step publishes the row's new state
                found.append((getattr(aggregates, flow[1]), state, f"{where}:{node.lineno}"))
            if isinstance(node, ast.Call) and (named := _names_an_event(node)):
                found.append((getattr(aggregates, named[0]), named[1], f"{where}:{node.lineno}"))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = [a.arg for a in node.args.args]
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and (named := _names_an_event(inner)):
                        aggregate, name = named
                        if isinstance(name, ast.Name) and name.id in params:
                            helpers[node.name] = (aggregate, params.index(name.id))
    for where, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (helper := helpers.get(_called(node) or "")):
                aggregate, index = helper
                if index < len(node.args):
                    name = node.args[index]
                    found.append((getattr(aggregates, aggregate), name, f"{where}:{node.lineno}"))
            func = isinstance(node, ast.Call) and node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "publish"
                and isinstance(func.value, ast.Name)
                and func.value.id in flows
            ):
                assert isinstance(node, ast.Call)
                name = node.args[3]  # publish(session, ctx, row, NAME)
                found.append(
                    (getattr(aggregates, flows[func.value.id]), name, f"{where}:{node.lineno}")
                )
    return found


def declared(service: str) -> set[str]:
    """The aggregates the service's ``events.py`` declares."""
    module = importlib.import_module(f"{service}.events")
    return {value for name, value in vars(module).items() if name.isupper() and name != "SERVICE"}


def catalogued(service: str, aggregate: str) -> list[str]:
    """The event names the catalogue holds for one aggregate of a service."""
    return [
        e.route.split(".")[1]
        for e in CATALOGUE.values()
        if e.service == service and e.route.startswith(aggregate + ".")
    ]


class TestCatalogue:
    def test_every_publishing_service_is_catalogued(self) -> None:
        assert {"registry", "training", "diagnosis"} <= set(publishing_services())
        assert list(SERVICES) == publishing_services()

    @pytest.mark.parametrize("service", publishing_services())
    def test_every_type_a_service_emits_is_catalogued(self, service: str) -> None:
        calls = emit_calls(service)
        assert {a for a, _, _ in calls} == declared(service)  # the scan finds every emitter
        for aggregate, name, where in calls:
            names = catalogued(service, aggregate)
            if isinstance(name, ast.Constant):
                assert known(event_type(service, aggregate, name.value)), where
            elif isinstance(name, ast.JoinedStr) and isinstance(name.values[0], ast.Constant):
                prefix = str(name.values[0].value)  # f"qualification_{decision}"
                assert any(n.startswith(prefix) for n in names), where
            else:  # a name held in a variable (an enrollment's state): its aggregate's
                assert names, where

    @pytest.mark.parametrize("service", publishing_services())
    def test_every_aggregate_a_service_declares_is_catalogued(self, service: str) -> None:
        assert declared(service)
        assert {a for a in declared(service) if not catalogued(service, a)} == set()
        assert service == importlib.import_module(f"{service}.events").SERVICE

    @pytest.mark.parametrize(
        "service,aggregate,states",
        [
            ("training", "enrollment", "training.enums:EnrollmentState"),
            ("diagnosis", "engagement", "diagnosis.enums:State"),
            ("innovation", "demand", "innovation.enums:DemandState"),
        ],
    )
    def test_every_state_an_aggregate_is_published_in_is_catalogued(
        self, service: str, aggregate: str, states: str
    ) -> None:
        """The events named by a state held in a variable (``e.state``)."""
        module, name = states.split(":")
        for state in getattr(importlib.import_module(module), name):
            assert known(event_type(service, aggregate, state.value)), state

    def test_the_catalogue_is_every_contract_event(self) -> None:
        expected = {
            event_type(service, *route.split(".")): payload
            for service, module in event_types.publishers().items()
            for route, payload in module.EVENTS.items()
        }
        assert {name: e.payload for name, e in CATALOGUE.items()} == expected
        assert "cn.zjtx.training.enrollment.withdrawn.v1" in CATALOGUE

    def test_every_type_has_a_schema_and_a_chinese_description(self) -> None:
        for name, entry in CATALOGUE.items():
            assert entry.name == name
            assert entry.data_schema["type"] == "object", name
            assert entry.data_schema["properties"], name
            assert CHINESE.search(entry.description), name

    def test_a_contract_event_without_a_description_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import contracts.training

        described = dict(contracts.training.DESCRIPTIONS)
        del described["survey.submitted"]
        monkeypatch.setattr(contracts.training, "DESCRIPTIONS", described)
        with pytest.raises(LookupError, match=r"survey\.submitted"):
            event_types._catalogue()

    def test_known_types(self) -> None:
        assert known("cn.zjtx.registry.enterprise.registered.v1")
        assert not known("cn.zjtx.registry.enterprise.deleted.v1")
        assert not known("enterprise.registered")


@pytest.mark.services("gateway")
class TestEndpoint:
    @pytest.mark.parametrize(
        "role,region,org",
        [
            ("ministry", "100000", None),
            ("city", "420100", None),
            ("enterprise", "420102", make_uscc("420100")),
        ],
    )
    async def test_any_signed_in_caller_reads_every_type(
        self, platform: Platform, role: str, region: str, org: str | None
    ) -> None:
        r = await platform["gateway"].get(EVENT_TYPES, headers=platform.auth(role, region, org))
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["type"] for i in items] == list(CATALOGUE)
        for item in items:
            entry: EventType = CATALOGUE[item["type"]]
            assert item["service"] == entry.service
            assert item["description"] == entry.description
            assert item["data_schema"] == entry.data_schema

    async def test_without_a_token_it_is_refused(self, platform: Platform) -> None:
        r = await platform["gateway"].get(EVENT_TYPES)
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")
