"""What an attacker controls in each trigger's event (language-neutral).

A schema is a tree over the event's JSON: a leaf "T" marks a subtree the sender of the event
chooses (a request body, a query string, an S3 object key, a queue message), "S" a subtree AWS
or the template fixes (request context, bucket name, stage variables). Key "*" stands for any
list element, key "" for any other key. Resolving an access path gives:

- TAINTED: the value is attacker-controlled;
- SAFE: it is not;
- MIXED: a whole object that holds attacker-controlled fields (the event itself, a record).

Fronts map their languages' accessors onto the raw JSON names with `ALIASES` (Powertools' and
Chalice's snake_case properties, Flask's `request.args`...), so one schema serves every front.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from faasguard.model import TriggerKind

Node: TypeAlias = "str | Mapping[str, Node]"

T = "T"
S = "S"

TAINTED = "tainted"
SAFE = "safe"
MIXED = "mixed"

# API Gateway and Function URLs route on the Host header: it is the API's own domain. An ALB
# passes whatever Host the client sent.
_ROUTED_HEADERS: Node = {"Host": S, "host": S, "": T}

_HTTP: dict[str, Node] = {
    "body": T,
    "queryStringParameters": T,
    "multiValueQueryStringParameters": T,
    "pathParameters": T,
    "headers": _ROUTED_HEADERS,
    "multiValueHeaders": _ROUTED_HEADERS,
    "cookies": T,
    "rawPath": T,
    "rawQueryString": T,
    "path": T,
    "requestContext": {
        "identity": {"userAgent": T, "": S},
        "http": {"path": T, "userAgent": T, "": S},
        "path": T,
        "": S,
    },
    "": S,
}


_ALB: Node = {**_HTTP, "headers": T, "multiValueHeaders": T}


def _records(record: Node) -> Node:
    return {"Records": {"*": record, "": S}, "": S}


SCHEMAS: Mapping[TriggerKind, Node] = {
    TriggerKind.REST_API: _HTTP,
    TriggerKind.HTTP_API: _HTTP,
    TriggerKind.WEBSOCKET: _HTTP,
    TriggerKind.FUNCTION_URL: _HTTP,
    TriggerKind.ALB: _ALB,
    TriggerKind.S3: _records({"s3": {"object": {"key": T, "": S}, "": S}, "": S}),
    TriggerKind.SQS: _records({"body": T, "messageAttributes": T, "": S}),
    TriggerKind.SNS: _records({"Sns": {"Message": T, "Subject": T, "MessageAttributes": T, "": S}, "": S}),
    TriggerKind.DYNAMODB_STREAM: _records(
        {"dynamodb": {"NewImage": T, "OldImage": T, "Keys": T, "": S}, "": S}
    ),
    TriggerKind.KINESIS: _records({"kinesis": {"data": T, "partitionKey": T, "": S}, "": S}),
    TriggerKind.KAFKA: {"records": {"": {"*": {"value": T, "key": T, "headers": T, "": S}, "": S}}, "": S},
    TriggerKind.MQ: {"messages": {"*": {"data": T, "": S}, "": S}, "": S},
    TriggerKind.EVENTBRIDGE: {"detail": T, "": S},
    TriggerKind.SCHEDULE: S,
    TriggerKind.CLOUDWATCH_LOGS: {"awslogs": {"data": T, "": S}, "": S},
    TriggerKind.COGNITO: {
        "request": {
            "userAttributes": T,
            "validationData": T,
            "clientMetadata": T,
            "challengeAnswer": T,
            "": S,
        },
        "userName": T,
        "": S,
    },
    TriggerKind.IOT: T,
    TriggerKind.ALEXA: {"request": {"intent": {"slots": T, "": S}, "": S}, "": S},
    TriggerKind.OTHER: T,
}

# How sure a flow from each trigger is: the sender of an HTTP request or a message is outside;
# stream records and bus events were written by something that may have checked them.
CONFIDENCE: Mapping[TriggerKind, str] = {
    TriggerKind.DYNAMODB_STREAM: "medium",
    TriggerKind.EVENTBRIDGE: "medium",
    TriggerKind.CLOUDWATCH_LOGS: "medium",
    TriggerKind.IOT: "medium",
    TriggerKind.OTHER: "medium",
}

# The event of a function that no trigger of the template reaches (invoked by another function,
# a state machine, a trigger defined elsewhere): everything in it may come from outside.
# Fields of the events AWS itself sends to such functions are kept trusted: CloudFormation
# custom resources (the response URL is a presigned S3 URL, properties come from the template)
# and S3 Object Lambda (presigned input URL); an authorizer's claims.
UNKNOWN_TRIGGER: Node = {
    "ResponseURL": S,
    "StackId": S,
    "RequestId": S,
    "LogicalResourceId": S,
    "PhysicalResourceId": S,
    "ResourceType": S,
    "RequestType": S,
    "ServiceToken": S,
    "ResourceProperties": S,
    "OldResourceProperties": S,
    "getObjectContext": S,
    "configuration": S,
    "protocolVersion": S,
    "requestContext": {"authorizer": S, "identity": {"sourceIp": S, "": T}, "": T},
    "": T,
}


def resolve(tree: Node, path: tuple[str, ...]) -> str:
    """TAINTED, SAFE or MIXED for an access path (raw JSON names) into an event."""
    node = tree
    for seg in path:
        if isinstance(node, str):
            break
        child = node.get(seg)
        if child is None:
            child = node.get("")
            if child is None:
                return SAFE
        node = child
    if isinstance(node, str):
        return TAINTED if node == T else SAFE
    return MIXED


def display(path: tuple[str, ...]) -> str:
    """("Records", "*", "body") -> "Records[].body"; () -> "event"."""
    out: list[str] = []
    for seg in path:
        if seg == "*":
            if out:
                out[-1] += "[]"
            else:
                out.append("[]")
        elif seg == "?":
            if out:
                out[-1] += "[?]"
            else:
                out.append("[?]")
        else:
            out.append(seg)
    return ".".join(out) if out else "event"


# snake_case and framework accessor names -> raw event keys (Powertools data classes, Chalice
# request, Flask / Starlette requests). An alias maps to a tuple of raw segments (() = itself).
ALIASES: Mapping[str, tuple[str, ...]] = {
    # Powertools event data classes and `app.current_event`
    "raw_event": (),
    "json_body": ("body",),
    "decoded_body": ("body",),
    "query_string_parameters": ("queryStringParameters",),
    "multi_value_query_string_parameters": ("multiValueQueryStringParameters",),
    "resolved_query_string_parameters": ("queryStringParameters",),
    "path_parameters": ("pathParameters",),
    "multi_value_headers": ("multiValueHeaders",),
    "resolved_headers_field": ("headers",),
    "raw_path": ("rawPath",),
    "raw_query_string": ("rawQueryString",),
    "request_context": ("requestContext",),
    "stage_variables": ("stageVariables",),
    "http_method": ("httpMethod",),
    "records": ("Records",),
    "message_attributes": ("messageAttributes",),
    "new_image": ("NewImage",),
    "old_image": ("OldImage",),
    "detail_type": ("detail-type",),
    "user_attributes": ("userAttributes",),
    "validation_data": ("validationData",),
    "client_metadata": ("clientMetadata",),
    "user_name": ("userName",),
    "object_key": ("Records", "*", "s3", "object", "key"),
    "bucket_name": ("Records", "*", "s3", "bucket", "name"),
    "sns": ("Sns",),
    "message": ("Message",),
    "subject": ("Subject",),
    "data_as_text": ("data",),
    "data_as_json": ("data",),
    "data_as_bytes": ("data",),
    "decoded_data": ("data",),
    "get_object": ("object",),
    # Chalice `app.current_request`
    "raw_body": ("body",),
    "query_params": ("queryStringParameters",),
    "uri_params": ("pathParameters",),
    "context": ("requestContext",),
    # Flask / Starlette / FastAPI requests
    "args": ("queryStringParameters",),
    "form": ("body",),
    "values": ("queryStringParameters",),
    "json": ("body",),
    "get_json": ("body",),
    "data": ("body",),
    "get_data": ("body",),
    "files": ("body",),
    "view_args": ("pathParameters",),
    "path_params": ("pathParameters",),
    "full_path": ("rawPath",),
    "url": ("rawPath",),
    "base_url": ("rawPath",),
    "query_string": ("rawQueryString",),
    "stream": ("body",),
    "method": ("httpMethod",),
    "remote_addr": ("requestContext", "identity", "sourceIp"),
    "client": ("requestContext",),
}


def normalise(path: tuple[str, ...], tree: Node) -> tuple[str, ...]:
    """Map accessor names onto raw keys, segment by segment, where the raw name is not a key."""
    out: list[str] = []
    node: Node | None = tree
    for seg in path:
        children = node if isinstance(node, Mapping) else None
        if children is not None and seg not in children and seg in ALIASES:
            repl = ALIASES[seg]
            for r in repl:
                out.append(r)
                node = _step(node, r)
            continue
        if children is None and seg in ALIASES and node != T:
            # Inside a fixed subtree the alias still names the raw key.
            for r in ALIASES[seg]:
                out.append(r)
            continue
        out.append(seg)
        node = _step(node, seg)
    return tuple(out)


def _step(node: Node | None, seg: str) -> Node | None:
    if node is None or isinstance(node, str):
        return node
    child = node.get(seg)
    return child if child is not None else node.get("")
