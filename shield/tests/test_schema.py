"""The built-in JSON Schema validator: what it implements it implements like jsonschema does, and
what it does not implement it refuses up front."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from faasguard_shield import SchemaError
from faasguard_shield._schema import BuiltinValidator, JsonSchemaValidator, make_validator

CASES: list[tuple[dict[str, Any] | bool, list[Any]]] = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
    ({"type": ["string", "null"]}, ["a", None, 0]),
    ({"type": "number", "minimum": 0, "exclusiveMaximum": 10}, [0, 9.99, 10, -1, False]),
    ({"type": "integer", "multipleOf": 5}, [10, 11, 0]),
    ({"type": "number", "multipleOf": 0.5}, [1.5, 0.35]),
    ({"enum": ["a", 1, None]}, ["a", 1, 1.0, True, None, "b"]),
    ({"const": {"k": [1, 2]}}, [{"k": [1, 2]}, {"k": [1, 2.0]}, {"k": [2, 1]}]),
    (
        {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"},
        ["ab", "abcd", "a", "A1", "ééé"],
    ),
    (
        {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
            "additionalProperties": False,
        },
        [{"id": "x"}, {"id": "x", "n": 1}, {"n": 1}, {"id": 1}, {"id": "x", "extra": 1}, []],
    ),
    (
        {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
        [{"x-a": "s", "b": 1}, {"x-a": 1}, {"b": "s"}],
    ),
    (
        {"propertyNames": {"maxLength": 3}, "minProperties": 1, "maxProperties": 2},
        [{"abc": 1}, {"abcd": 1}, {}, {"a": 1, "b": 2, "c": 3}],
    ),
    ({"dependentRequired": {"card": ["cvv"]}}, [{"card": 1, "cvv": 2}, {"card": 1}, {}]),
    (
        {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3},
        [[1], [], [1, 2, 3, 4], [1, "a"]],
    ),
    ({"type": "array", "uniqueItems": True}, [[1, 2], [1, 1], [1, 1.0], [1, True], [{"a": 1}, {"a": 1}]]),
    (
        {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
        [["a", 1], ["a", "b"], ["a", 1, 2]],
    ),
    ({"contains": {"type": "string"}}, [[1, "a"], [1, 2], []]),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, ["a", 1, 1.5]),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, [1, 1.5, "a"]),
    ({"allOf": [{"minimum": 1}, {"maximum": 3}], "not": {"const": 2}}, [1, 2, 3, 4]),
    (
        {
            "if": {"properties": {"kind": {"const": "card"}}},
            "then": {"required": ["pan"]},
            "else": {"required": ["iban"]},
        },
        [{"kind": "card", "pan": "1"}, {"kind": "card"}, {"iban": "x"}, {}],
    ),
    (
        {
            "$defs": {
                "item": {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}}
            },
            "type": "array",
            "items": {"$ref": "#/$defs/item"},
        },
        [[{"sku": "a"}], [{"sku": 1}], [{}]],
    ),
    (
        {
            "definitions": {
                "node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}
            },
            "$ref": "#/definitions/node",
        },
        [{"next": {"next": {}}}, {"next": {"next": 1}}],
    ),
    (True, [1, None]),
    (False, [1, None]),
    ({"format": "email", "type": "string"}, ["not an email"]),
]


@pytest.mark.parametrize(("schema", "instances"), CASES)
def test_agrees_with_jsonschema(schema: dict[str, Any] | bool, instances: list[Any]) -> None:
    ours = BuiltinValidator(schema)
    reference = jsonschema.validators.validator_for(schema)(schema)
    for instance in instances:
        _value, problems = ours.check(instance)
        assert (not problems) == reference.is_valid(instance), (schema, instance, problems)


def test_problems_name_the_place_and_the_rule_not_the_value() -> None:
    schema = {
        "type": "object",
        "required": ["id", "items"],
        "properties": {
            "id": {"type": "string", "pattern": "^ord-[0-9]+$"},
            "items": {
                "type": "array",
                "items": {"type": "object", "properties": {"qty": {"type": "integer", "maximum": 10}}},
            },
        },
        "additionalProperties": False,
    }
    instance = {"id": "DROP TABLE orders", "items": [{"qty": 11}, {"qty": "many"}], "role": "admin"}
    for validator in (BuiltinValidator(schema), JsonSchemaValidator(schema)):
        _value, problems = validator.check(instance)
        text = repr(problems)
        assert "DROP TABLE" not in text and "many" not in text and "'admin'" not in text
        paths = {p["path"] for p in problems}
        assert {"$.id", "$.items[0].qty", "$.items[1].qty"} <= paths
        assert {p["keyword"] for p in problems} >= {"pattern", "maximum", "type", "additionalProperties"}
    _value, problems = BuiltinValidator(schema).check({})
    assert [p["message"] for p in problems] == [
        "missing required property 'id'",
        "missing required property 'items'",
    ]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "unevaluatedProperties": False},
        {"$ref": "https://example.com/schema.json"},
        {"type": "strin"},
        {"pattern": "("},
        {"properties": {"a": {"minLength": -1}}},
        {"$ref": "#/$defs/missing"},
    ],
)
def test_what_it_cannot_check_it_refuses(schema: dict[str, Any]) -> None:
    with pytest.raises(SchemaError):
        BuiltinValidator(schema)


def test_multiple_of_a_decimal_fraction() -> None:
    # 0.3 / 0.1 is 2.9999999999999996 in binary floating point; the built-in validator allows for it.
    assert BuiltinValidator({"multipleOf": 0.1}).check(0.3)[1] == []
    assert BuiltinValidator({"multipleOf": 0.1}).check(0.35)[1] != []


def test_engine_choice() -> None:
    assert make_validator({"type": "object"}).engine == "jsonschema"  # installed in the test environment
    assert make_validator({"type": "object"}, "builtin").engine == "builtin"
    with pytest.raises(SchemaError):
        make_validator({"type": "object"}, "fast")
    with pytest.raises(SchemaError):
        make_validator({"type": "nope"}, "jsonschema")
    with pytest.raises(SchemaError):
        make_validator(["not", "a", "schema"])


def test_standard_library_only_process_uses_the_built_in_validator(run) -> None:
    source = """
    import sys
    import faasguard_shield
    from faasguard_shield._schema import make_validator

    def handler(event, context):
        engine = make_validator({"type": "object"}).engine
        return [engine, "jsonschema" in sys.modules, "pydantic" in sys.modules, "typing" in sys.modules]
    """
    # Standard library only, and light: not even typing is imported.
    assert run(source).result["result"] == ["builtin", False, False, False]
