"""The handler wrapper, in this process (no audit hook installed): every trigger shape, every
validation engine."""

from __future__ import annotations

import base64
import copy
import json
from typing import Annotated, Any

import pydantic
import pytest

import faasguard_shield
from faasguard_shield import InputRejected, ShieldViolation, guard

BODY_SCHEMA = {
    "type": "object",
    "required": ["id", "qty"],
    "properties": {"id": {"type": "string", "minLength": 1}, "qty": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
}
S3_SCHEMA = {
    "type": "object",
    "required": ["s3"],
    "properties": {
        "s3": {
            "type": "object",
            "required": ["object"],
            "properties": {
                "object": {
                    "type": "object",
                    "required": ["key"],
                    "properties": {"key": {"type": "string", "pattern": "^uploads/"}},
                }
            },
        }
    },
}


class Body(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", strict=True)
    id: Annotated[str, pydantic.Field(min_length=1)]
    qty: Annotated[int, pydantic.Field(ge=1)]


class S3Object(pydantic.BaseModel):
    key: Annotated[str, pydantic.Field(pattern="^uploads/")]


class S3Entity(pydantic.BaseModel):
    object: S3Object


class S3Record(pydantic.BaseModel):
    s3: S3Entity


VALID = {"id": "A-1", "qty": 2}
INVALID = {"id": "", "qty": -7777, "admin": "sekrit-value-1234"}
ENGINES = ["builtin", "jsonschema", "pydantic"]


def schema_for(trigger: str, engine: str) -> tuple[Any, str]:
    if engine == "pydantic":
        return (S3Record if trigger == "s3" else Body), "auto"
    return (S3_SCHEMA if trigger == "s3" else BODY_SCHEMA), engine


# ---------------------------------------------------------------- sample events


def apigw_rest(
    body: Any, base64_body: bool = False, content_type: str = "application/json"
) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "resource": "/orders",
        "path": "/orders",
        "httpMethod": "POST",
        "headers": {"Content-Type": content_type},
        "multiValueHeaders": {"Content-Type": [content_type]},
        "queryStringParameters": None,
        "requestContext": {
            "resourcePath": "/orders",
            "httpMethod": "POST",
            "identity": {"sourceIp": "198.51.100.1"},
        },
        "body": base64.b64encode(text.encode()).decode() if base64_body else text,
        "isBase64Encoded": base64_body,
    }


def apigw_http(body: Any, domain: str = "abc.execute-api.eu-west-1.amazonaws.com") -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "POST /orders",
        "rawPath": "/orders",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "domainName": domain,
            "http": {"method": "POST", "path": "/orders", "sourceIp": "198.51.100.2"},
        },
        "body": body if isinstance(body, str) else json.dumps(body),
        "isBase64Encoded": False,
    }


def function_url(body: Any) -> dict[str, Any]:
    return apigw_http(body, domain="abcdefgh.lambda-url.eu-west-1.on.aws")


def alb(body: Any, multi: bool = False) -> dict[str, Any]:
    event: dict[str, Any] = {
        "requestContext": {
            "elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123:targetgroup/x/y"}
        },
        "httpMethod": "POST",
        "path": "/orders",
        "body": body if isinstance(body, str) else json.dumps(body),
        "isBase64Encoded": False,
    }
    if multi:
        event["multiValueHeaders"] = {
            "content-type": ["application/json"],
            "x-forwarded-for": ["198.51.100.3"],
        }
    else:
        event["headers"] = {"content-type": "application/json", "x-forwarded-for": "198.51.100.3"}
    return event


def sqs(*bodies: Any) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{i}",
                "receiptHandle": "r",
                "body": b if isinstance(b, str) else json.dumps(b),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123:orders",
            }
            for i, b in enumerate(bodies)
        ]
    }


def sns(*messages: Any) -> dict[str, Any]:
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "Sns": {"MessageId": f"s-{i}", "Message": m if isinstance(m, str) else json.dumps(m)},
            }
            for i, m in enumerate(messages)
        ]
    }


def s3(*keys: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": "b"}, "object": {"key": k}},
            }
            for k in keys
        ]
    }


def direct(payload: Any) -> Any:
    return payload


BUILDERS = {
    "apigw-rest": apigw_rest,
    "apigw-http": apigw_http,
    "function-url": function_url,
    "alb": alb,
    "sqs": lambda body: sqs(VALID, body),
    "sns": lambda body: sns(body),
    "s3": lambda body: s3("uploads/a.csv", "uploads/b.csv" if body is VALID else "../etc/passwd"),
    "direct": direct,
}
HTTP = ("apigw-rest", "apigw-http", "function-url", "alb")


class Context:
    aws_request_id = "req-in-process"
    function_name = "orders"
    function_version = "3"


def events_from(capfd: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capfd.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"faasguard_shield"')]


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("trigger", list(BUILDERS))
def test_valid_events_pass_untouched(trigger: str, engine: str, capfd: pytest.CaptureFixture[str]) -> None:
    schema, engine_name = schema_for(trigger, engine)
    event = BUILDERS[trigger](VALID)
    pristine = copy.deepcopy(event)
    seen: list[Any] = []

    @guard(schema=schema, engine=engine_name)
    def handler(received: Any, context: Any) -> str:
        seen.append(received)
        invocation = faasguard_shield.current()
        assert invocation is not None and invocation.trigger == trigger
        assert invocation.payloads
        return "handled"

    assert faasguard_shield.detect(event) == trigger
    assert handler(event, Context()) == "handled"
    assert seen == [event] and seen[0] is event
    assert event == pristine
    events = events_from(capfd)
    assert [e["kind"] for e in events] == ["summary"]
    assert events[0]["request_id"] == "req-in-process" and events[0]["function_name"] == "orders"
    assert events[0]["detail"]["outcome"] == "ok" and events[0]["detail"]["trigger"] == trigger


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("trigger", list(BUILDERS))
def test_schema_invalid_events_are_rejected(
    trigger: str, engine: str, capfd: pytest.CaptureFixture[str]
) -> None:
    schema, engine_name = schema_for(trigger, engine)
    event = BUILDERS[trigger](INVALID)
    called: list[Any] = []
    handler = guard(schema=schema, engine=engine_name)(lambda e, c: called.append(e))
    if trigger in HTTP:
        response = handler(event, Context())
        assert response["statusCode"] == 400
        assert response["headers"] == {"Content-Type": "application/json"}
        body = json.loads(response["body"])
        assert body["message"] == "Request failed validation"
        assert body["errors"] and all(set(e) == {"path", "message"} for e in body["errors"])
        if engine != "pydantic":
            assert {e["path"] for e in body["errors"]} >= {"$.id", "$.qty"}
    else:
        with pytest.raises(InputRejected) as raised:
            handler(event, Context())
        assert raised.value.reason == "schema" and raised.value.errors
    assert called == []
    events = events_from(capfd)
    assert [e["kind"] for e in events] == ["rejected", "summary"]
    detail = events[0]["detail"]
    assert detail["reason"] == "schema" and detail["trigger"] == trigger
    if trigger in ("sqs", "s3"):
        assert detail["record"] == 1
    assert "sekrit-value-1234" not in json.dumps(events) and "7777" not in json.dumps(events)
    assert events[1]["detail"]["outcome"] == "rejected" and events[1]["detail"]["rejected"] == 1


@pytest.mark.parametrize("trigger", list(BUILDERS))
def test_oversize_events_are_rejected(trigger: str, capfd: pytest.CaptureFixture[str]) -> None:
    big = {"id": "x" * 5000, "qty": 1}
    event = BUILDERS[trigger](big) if trigger not in ("s3",) else s3("uploads/" + "x" * 5000)
    handler = guard(max_body_bytes=1000, max_event_bytes=4000)(lambda e, c: "handled")
    if trigger in HTTP:
        response = handler(event, Context())
        assert response["statusCode"] == 413
        assert json.loads(response["body"]) == {"message": "Request too large"}
    else:
        with pytest.raises(InputRejected) as raised:
            handler(event, Context())
        assert raised.value.reason == "too_large"
    detail = events_from(capfd)[0]["detail"]
    assert detail["reason"] == "too_large" and detail["size"] > detail["limit"]
    # Small enough: passes.
    assert (
        guard(max_body_bytes=10_000, max_event_bytes=20_000)(lambda e, c: "handled")(event, Context())
        == "handled"
    )


def test_body_limit_counts_decoded_bytes() -> None:
    handler = guard(max_body_bytes=100)(lambda e, c: "handled")
    assert handler(apigw_rest({"id": "x" * 80, "qty": 1}, base64_body=True), Context()) == "handled"
    assert handler(apigw_rest({"id": "é" * 60, "qty": 1}), Context())["statusCode"] == 413


def test_bodies_that_are_not_json() -> None:
    handler = guard(schema=BODY_SCHEMA, engine="builtin")(lambda e, c: "handled")
    assert handler(apigw_rest("{not json"), Context())["statusCode"] == 400
    assert json.loads(handler(apigw_rest("{not json"), Context())["body"]) == {
        "message": "Request body is not valid JSON"
    }
    assert handler(apigw_rest('{"id": "a", "qty": NaN}'), Context())["statusCode"] == 400
    assert handler(apigw_rest("[" * 100_000), Context())["statusCode"] == 400
    assert handler(apigw_rest(VALID, content_type="text/plain"), Context())["statusCode"] == 415
    assert handler(apigw_rest(VALID, base64_body=True), Context()) == "handled"
    broken = apigw_rest(VALID)
    broken.update(isBase64Encoded=True, body="%%%")
    assert handler(broken, Context())["statusCode"] == 400
    with pytest.raises(InputRejected) as raised:
        handler(sqs("{not json"), Context())
    assert raised.value.reason == "invalid_json"


def test_alb_responses_follow_the_request_header_mode() -> None:
    handler = guard(schema=BODY_SCHEMA, engine="builtin")(lambda e, c: "handled")
    single = handler(alb(INVALID), Context())
    assert single["statusDescription"] == "400 Bad Request" and single["headers"]
    multi = handler(alb(INVALID, multi=True), Context())
    assert multi["multiValueHeaders"] == {"Content-Type": ["application/json"]} and "headers" not in multi


def test_a_blocked_operation_becomes_a_safe_error(capfd: pytest.CaptureFixture[str]) -> None:
    @guard
    def handler(event: Any, context: Any) -> Any:
        raise ShieldViolation(
            "faasguard shield blocked connect to evil.example:443", "network", {"host": "evil.example"}
        )

    response = handler(apigw_http(VALID), Context())
    assert response == {
        "statusCode": 500,
        "headers": {"Content-Type": "application/json"},
        "body": '{"message":"Internal Server Error"}',
        "isBase64Encoded": False,
    }
    with pytest.raises(ShieldViolation) as raised:
        handler(sqs(VALID), Context())
    assert "evil.example" not in str(raised.value) and raised.value.family == "network"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__

    @guard(blocked_status=403)
    def wrapped_by_a_library(event: Any, context: Any) -> Any:
        try:
            raise ShieldViolation("blocked", "network")
        except ShieldViolation as exc:
            raise RuntimeError("connection failed") from exc

    assert wrapped_by_a_library(function_url(VALID), Context())["statusCode"] == 403
    summaries = [e["detail"]["outcome"] for e in events_from(capfd) if e["kind"] == "summary"]
    assert summaries == ["blocked", "blocked", "blocked"]


def test_other_errors_pass_through() -> None:
    @guard
    def handler(event: Any, context: Any) -> Any:
        raise KeyError("missing")

    with pytest.raises(KeyError):
        handler(apigw_http(VALID), Context())


def test_pydantic_models_reach_the_handler() -> None:
    @guard(schema=Body)
    def handler(event: Any, context: Any) -> Any:
        invocation = faasguard_shield.current()
        assert invocation is not None
        return invocation.payloads

    (model,) = handler(apigw_http(VALID), Context())
    assert isinstance(model, Body) and model.qty == 2
    assert [m.qty for m in handler(sqs(VALID, {"id": "b", "qty": 5}), Context())] == [2, 5]
    assert faasguard_shield.current() is None


def test_normalised_view_of_each_http_shape() -> None:
    for event in (
        apigw_rest(VALID),
        apigw_http(VALID),
        function_url(VALID),
        alb(VALID),
        alb(VALID, multi=True),
    ):
        shape = faasguard_shield.normalize(event)
        assert shape.http is not None and shape.is_http
        assert shape.http.method == "POST" and shape.http.path == "/orders"
        assert shape.http.content_type == "application/json"
        assert json.loads(shape.http.body_bytes()) == VALID
        assert shape.http.source_ip and shape.http.source_ip.startswith("198.51.100.")
    records = faasguard_shield.normalize(sqs(VALID, VALID)).messages
    assert [m.id for m in records] == ["m-0", "m-1"] and json.loads(records[0].body or "") == VALID
    assert faasguard_shield.normalize(sns("hello")).messages[0].body == "hello"
    assert faasguard_shield.normalize({"detail-type": "Scheduled Event"}).trigger == "direct"
