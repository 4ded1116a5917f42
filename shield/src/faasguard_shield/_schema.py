"""Input validation: JSON Schema (``jsonschema`` when installed, else a built-in subset) or pydantic.

Every engine reports problems the same way, ``{"path": "$.items[0].sku", "keyword": "type",
"message": "expected string"}``: where the problem is and what the schema wanted, never the
rejected value.

The built-in validator covers what request schemas use: ``type``, ``enum``, ``const``,
``properties``, ``required``, ``additionalProperties``, ``patternProperties``, ``propertyNames``,
``minProperties`` / ``maxProperties``, ``dependentRequired``, ``items`` / ``prefixItems`` /
``additionalItems``, ``minItems`` / ``maxItems``, ``uniqueItems``, ``contains``, ``minLength`` /
``maxLength``, ``pattern``, ``minimum`` / ``maximum`` / ``exclusiveMinimum`` / ``exclusiveMaximum``,
``multipleOf``, ``allOf`` / ``anyOf`` / ``oneOf`` / ``not``, ``if`` / ``then`` / ``else``, boolean
schemas and local ``$ref`` (``#/...``). ``format`` is an annotation, as in ``jsonschema`` by default.
A schema using any other keyword is refused when the wrapper is built (:class:`SchemaError`), rather
than half-checked: install the ``jsonschema`` extra for those.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping, Sequence

from ._errors import SchemaError

TYPE_CHECKING = False  # typing is imported for the type checker only: it costs import time
if TYPE_CHECKING:
    from typing import Any

Problem = dict[str, str]
if TYPE_CHECKING:
    # A path is None for the root, else (parent path, key or index): formatted only for a problem.
    Path = Any
    Check = Callable[[Any, Path, list[Problem]], None]

_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$anchor",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "format",
        "readOnly",
        "writeOnly",
        "deprecated",
        "contentMediaType",
        "contentEncoding",
    }
)
_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "items",
        "prefixItems",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "$ref",
    }
)
_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")
MAX_PROBLEMS = 10


class Validator:
    engine = ""

    def check(self, instance: Any) -> tuple[Any, list[Problem]]:
        """The validated value (a model instance for pydantic) and the problems found."""
        raise NotImplementedError


def make_validator(schema: Any, engine: str = "auto") -> Validator:
    """A validator for a JSON schema (dict or bool) or a pydantic model class."""
    if isinstance(schema, type) and (hasattr(schema, "model_validate") or hasattr(schema, "parse_obj")):
        if engine not in ("auto", "pydantic"):
            raise SchemaError(f"engine {engine!r} cannot validate with a pydantic model")
        return PydanticValidator(schema)
    if not isinstance(schema, (Mapping, bool)):
        raise SchemaError("schema= takes a JSON schema (a dict) or a pydantic model class")
    if engine == "auto":
        try:
            importlib.import_module("jsonschema")
        except ImportError:
            return BuiltinValidator(schema)
        return JsonSchemaValidator(schema)
    if engine == "jsonschema":
        return JsonSchemaValidator(schema)
    if engine == "builtin":
        return BuiltinValidator(schema)
    raise SchemaError(f"unknown validation engine {engine!r} (auto, builtin, jsonschema, pydantic)")


def format_path(parts: Sequence[Any]) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
            continue
        text = str(part)
        if len(text) > 64:
            text = text[:64] + "..."
        if text.isidentifier():
            out += "." + text
        else:
            out += "[" + repr(text) + "]"
    return out


def describe(keyword: str, value: Any) -> str:
    """What a schema keyword asked for, in words, from the schema's side only."""
    if keyword == "type":
        names = value if isinstance(value, list) else [value]
        return "expected " + " or ".join(str(n) for n in names)
    table = {
        "enum": "not one of the allowed values",
        "const": "not the expected value",
        "additionalProperties": "property not allowed",
        "uniqueItems": "items are not unique",
        "contains": "no item matches the expected shape",
        "propertyNames": "property name not allowed",
        "not": "matches a forbidden shape",
        "anyOf": "matches none of the allowed shapes",
        "oneOf": "matches none, or more than one, of the allowed shapes",
        "allOf": "does not match all of the required shapes",
        "false": "not allowed here",
        "additionalItems": "more items than allowed",
        "items": "more items than allowed",
    }
    if keyword in table:
        return table[keyword]
    bounds = {
        "minLength": "shorter than {} characters",
        "maxLength": "longer than {} characters",
        "minItems": "fewer than {} items",
        "maxItems": "more than {} items",
        "minProperties": "fewer than {} properties",
        "maxProperties": "more than {} properties",
        "minimum": "less than {}",
        "maximum": "greater than {}",
        "exclusiveMinimum": "not greater than {}",
        "exclusiveMaximum": "not less than {}",
        "multipleOf": "not a multiple of {}",
        "pattern": "does not match the pattern {}",
    }
    if keyword in bounds:
        return bounds[keyword].format(value)
    return f"fails {keyword!r}"


# ---------------------------------------------------------------- built-in


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_ok(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "object":
        return isinstance(value, Mapping)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "number":
        return _is_number(value) and not (isinstance(value, float) and not math.isfinite(value))
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return False


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


class BuiltinValidator(Validator):
    """The JSON Schema subset listed in the module docstring, standard library only."""

    engine = "builtin"

    def __init__(self, schema: Mapping[str, Any] | bool) -> None:
        self.root = schema
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._memo: dict[int, Check] = {}
        self._check_schema(schema, "#", set())
        self._root = self._compiled(schema)

    # -- schema checking, once

    def _check_schema(self, schema: Any, where: str, seen: set[int]) -> None:
        if isinstance(schema, bool):
            return
        if not isinstance(schema, Mapping):
            raise SchemaError(f"{where}: a schema is an object or a boolean")
        if id(schema) in seen:
            return
        seen.add(id(schema))
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                if key in ("$defs", "definitions") and isinstance(value, Mapping):
                    for name, sub in value.items():
                        self._check_schema(sub, f"{where}/{key}/{name}", seen)
                continue
            if key not in _KEYWORDS:
                raise SchemaError(
                    f"{where}: keyword {key!r} is not supported by the built-in validator; "
                    "install jsonschema (pip install 'faasguard-shield[jsonschema]') to use it"
                )
            self._check_keyword(key, value, f"{where}/{key}", seen)

    def _check_keyword(self, key: str, value: Any, where: str, seen: set[int]) -> None:
        if key == "type":
            names = value if isinstance(value, list) else [value]
            if not names or not all(n in _TYPES for n in names):
                raise SchemaError(f"{where}: unknown type {value!r}")
        elif key in ("properties", "patternProperties", "dependentRequired"):
            if not isinstance(value, Mapping):
                raise SchemaError(f"{where}: expected an object")
            for name, sub in value.items():
                if key == "patternProperties":
                    self._pattern(name, where)
                if key == "dependentRequired":
                    if not isinstance(sub, list) or not all(isinstance(x, str) for x in sub):
                        raise SchemaError(f"{where}/{name}: expected a list of names")
                else:
                    self._check_schema(sub, f"{where}/{name}", seen)
        elif key in (
            "additionalProperties",
            "additionalItems",
            "propertyNames",
            "contains",
            "not",
            "if",
            "then",
            "else",
        ):
            self._check_schema(value, where, seen)
        elif key == "items":
            if isinstance(value, list):
                for index, sub in enumerate(value):
                    self._check_schema(sub, f"{where}/{index}", seen)
            else:
                self._check_schema(value, where, seen)
        elif key in ("prefixItems", "allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not value:
                raise SchemaError(f"{where}: expected a non-empty list of schemas")
            for index, sub in enumerate(value):
                self._check_schema(sub, f"{where}/{index}", seen)
        elif key == "required":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise SchemaError(f"{where}: expected a list of property names")
        elif key == "enum":
            if not isinstance(value, list):
                raise SchemaError(f"{where}: expected a list")
        elif key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SchemaError(f"{where}: expected a non-negative integer")
        elif key in ("minimum", "maximum", "multipleOf"):
            if not _is_number(value) or (key == "multipleOf" and value <= 0):
                raise SchemaError(f"{where}: expected a number")
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            if not (_is_number(value) or isinstance(value, bool)):
                raise SchemaError(f"{where}: expected a number")
        elif key == "uniqueItems":
            if not isinstance(value, bool):
                raise SchemaError(f"{where}: expected true or false")
        elif key == "pattern":
            self._pattern(value, where)
        elif key == "$ref":
            self._check_schema(self._resolve(value, where), value, seen)

    def _pattern(self, pattern: Any, where: str) -> re.Pattern[str]:
        if not isinstance(pattern, str):
            raise SchemaError(f"{where}: a pattern is a string")
        compiled = self._patterns.get(pattern)
        if compiled is None:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise SchemaError(f"{where}: invalid pattern {pattern!r}: {exc}") from None
            self._patterns[pattern] = compiled
        return compiled

    def _resolve(self, ref: Any, where: str) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise SchemaError(
                f"{where}: only local references (#/...) are supported by the built-in validator"
            )
        node: Any = self.root
        pointer = ref[1:]
        if pointer:
            if not pointer.startswith("/"):
                raise SchemaError(f"{where}: {ref!r} is not a JSON pointer")
            for token in pointer[1:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                if isinstance(node, Mapping) and token in node:
                    node = node[token]
                elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                    node = node[int(token)]
                else:
                    raise SchemaError(f"{where}: {ref!r} points nowhere")
        return node

    # -- validation: the schema is compiled once into nested check functions

    def check(self, instance: Any) -> tuple[Any, list[Problem]]:
        problems: list[Problem] = []
        self._root(instance, None, problems)
        return instance, problems[:MAX_PROBLEMS]

    def _compiled(self, schema: Any) -> Check:
        key = id(schema)
        found = self._memo.get(key)
        if found is not None:
            return found
        box: list[Check] = []

        def forward(value: Any, path: Path, out: list[Problem]) -> None:  # for recursive $ref
            box[0](value, path, out)

        self._memo[key] = forward
        built = self._build(schema)
        box.append(built)
        self._memo[key] = built
        return built

    def _valid(self, check: Check) -> Callable[[Any], bool]:
        def valid(value: Any) -> bool:
            scratch: list[Problem] = []
            check(value, None, scratch)
            return not scratch

        return valid

    def _build(self, schema: Any) -> Check:
        if schema is True:
            return _accept
        if schema is False:
            return _refuse
        type_check = _type_check(schema.get("type"))
        wanted = schema.get("type")
        strings = self._string_checks(schema)
        numbers = _number_checks(schema)
        obj = self._object_check(schema)
        arr = self._array_check(schema)
        generic = self._generic_checks(schema)

        def check(value: Any, path: Path, out: list[Problem]) -> None:
            if type_check is not None and not type_check(value):
                _problem(out, path, "type", wanted)
                return
            kind = type(value)
            if kind is str:
                for string_check in strings:
                    string_check(value, path, out)
            elif kind is dict:
                if obj is not None:
                    obj(value, path, out)
            elif kind is list:
                if arr is not None:
                    arr(value, path, out)
            elif kind is int or kind is float:
                for number_check in numbers:
                    number_check(value, path, out)
            elif kind is not bool and value is not None:
                _other(value, path, out, strings, numbers, obj, arr)
            for generic_check in generic:
                generic_check(value, path, out)

        return check

    def _string_checks(self, schema: Mapping[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "minLength" in schema:
            low = schema["minLength"]
            checks.append(_when(lambda v: len(v) < low, "minLength", low))
        if "maxLength" in schema:
            high = schema["maxLength"]
            checks.append(_when(lambda v: len(v) > high, "maxLength", high))
        if "pattern" in schema:
            search = self._pattern(schema["pattern"], "pattern").search
            checks.append(_when(lambda v: search(v) is None, "pattern", schema["pattern"]))
        return checks

    def _object_check(self, schema: Mapping[str, Any]) -> Check | None:
        required = tuple(schema.get("required", ()))
        dependent = tuple((name, tuple(needs)) for name, needs in schema.get("dependentRequired", {}).items())
        low, high = schema.get("minProperties"), schema.get("maxProperties")
        properties = {name: self._compiled(sub) for name, sub in schema.get("properties", {}).items()}
        patterns = [
            (self._pattern(rx, "patternProperties").search, self._compiled(sub))
            for rx, sub in schema.get("patternProperties", {}).items()
        ]
        extra_schema = schema.get("additionalProperties", True)
        closed_object = extra_schema is False
        extra = None if isinstance(extra_schema, bool) else self._compiled(extra_schema)
        names = self._valid(self._compiled(schema["propertyNames"])) if "propertyNames" in schema else None
        walk = bool(properties or patterns or closed_object or extra is not None or names is not None)
        if not (required or dependent or low is not None or high is not None or walk):
            return None

        def check(value: Mapping[Any, Any], path: Path, out: list[Problem]) -> None:
            for name in required:
                if name not in value:
                    out.append(
                        {
                            "path": _format(path),
                            "keyword": "required",
                            "message": f"missing required property {name!r}",
                        }
                    )
            for name, needs in dependent:
                if name in value:
                    for other in needs:
                        if other not in value:
                            message = f"property {name!r} requires {other!r}"
                            out.append(
                                {"path": _format(path), "keyword": "dependentRequired", "message": message}
                            )
            if low is not None and len(value) < low:
                _problem(out, path, "minProperties", low)
            if high is not None and len(value) > high:
                _problem(out, path, "maxProperties", high)
            if not walk:
                return
            for key, item in value.items():
                if len(out) >= MAX_PROBLEMS:
                    return
                here = (path, key)
                if names is not None and not names(key):
                    _problem(out, here, "propertyNames", None)
                sub = properties.get(key)
                matched = sub is not None
                if sub is not None:
                    sub(item, here, out)
                for search, pattern_check in patterns:
                    if isinstance(key, str) and search(key) is not None:
                        matched = True
                        pattern_check(item, here, out)
                if not matched:
                    if closed_object:
                        _problem(out, here, "additionalProperties", None)
                    elif extra is not None:
                        extra(item, here, out)

        return check

    def _array_check(self, schema: Mapping[str, Any]) -> Check | None:
        low, high = schema.get("minItems"), schema.get("maxItems")
        unique = schema.get("uniqueItems") is True
        prefix: list[Check] = []
        rest: Any = True
        rest_keyword = "items"
        if "prefixItems" in schema:
            prefix = [self._compiled(sub) for sub in schema["prefixItems"]]
            rest = schema.get("items", True)
        elif isinstance(schema.get("items"), list):
            prefix = [self._compiled(sub) for sub in schema["items"]]
            rest = schema.get("additionalItems", True)
            rest_keyword = "additionalItems"
        elif "items" in schema:
            rest = schema["items"]
        rest_check = None if rest is True or rest is False else self._compiled(rest)
        contains = self._valid(self._compiled(schema["contains"])) if "contains" in schema else None
        if low is None and high is None and not unique and not prefix and rest is True and contains is None:
            return None

        def check(value: list[Any], path: Path, out: list[Problem]) -> None:
            if low is not None and len(value) < low:
                _problem(out, path, "minItems", low)
            if high is not None and len(value) > high:
                _problem(out, path, "maxItems", high)
            if unique:
                for i, item in enumerate(value):
                    if any(_equal(item, other) for other in value[:i]):
                        _problem(out, path, "uniqueItems", None)
                        break
            for index, item in enumerate(value):
                if len(out) >= MAX_PROBLEMS:
                    return
                if index < len(prefix):
                    prefix[index](item, (path, index), out)
                elif rest is False:
                    _problem(out, (path, index), rest_keyword, None)
                    return
                elif rest_check is not None:
                    rest_check(item, (path, index), out)
            if contains is not None and not any(contains(item) for item in value):
                _problem(out, path, "contains", None)

        return check

    def _generic_checks(self, schema: Mapping[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self._compiled(self._resolve(schema["$ref"], "$ref")))
        if "enum" in schema:
            options = list(schema["enum"])
            checks.append(_when(lambda v: not any(_equal(v, o) for o in options), "enum", None))
        if "const" in schema:
            constant = schema["const"]
            checks.append(_when(lambda v: not _equal(v, constant), "const", None))
        checks.extend(self._compiled(sub) for sub in schema.get("allOf", ()))
        if "anyOf" in schema:
            any_of = [self._valid(self._compiled(sub)) for sub in schema["anyOf"]]
            checks.append(_when(lambda v: not any(valid(v) for valid in any_of), "anyOf", None))
        if "oneOf" in schema:
            one_of = [self._valid(self._compiled(sub)) for sub in schema["oneOf"]]
            checks.append(_when(lambda v: sum(1 for valid in one_of if valid(v)) != 1, "oneOf", None))
        if "not" in schema:
            forbidden = self._valid(self._compiled(schema["not"]))
            checks.append(_when(forbidden, "not", None))
        if "if" in schema:
            condition = self._valid(self._compiled(schema["if"]))
            then = self._compiled(schema["then"]) if "then" in schema else None
            otherwise = self._compiled(schema["else"]) if "else" in schema else None

            def conditional(value: Any, path: Path, out: list[Problem]) -> None:
                branch = then if condition(value) else otherwise
                if branch is not None:
                    branch(value, path, out)

            checks.append(conditional)
        return checks


def _format(path: Path) -> str:
    parts: list[Any] = []
    while path is not None:
        path, key = path
        parts.append(key)
    parts.reverse()
    return format_path(parts)


def _problem(out: list[Problem], path: Path, keyword: str, value: Any) -> None:
    out.append({"path": _format(path), "keyword": keyword, "message": describe(keyword, value)})


def _accept(value: Any, path: Path, out: list[Problem]) -> None:
    return None


def _refuse(value: Any, path: Path, out: list[Problem]) -> None:
    _problem(out, path, "false", None)


def _when(failed: Callable[[Any], bool], keyword: str, value: Any) -> Check:
    def check(item: Any, path: Path, out: list[Problem]) -> None:
        if failed(item):
            _problem(out, path, keyword, value)

    return check


def _number_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if "minimum" in schema:
        low = schema["minimum"]
        if exclusive_low is True:  # draft 4
            checks.append(_when(lambda v: v <= low, "exclusiveMinimum", low))
        else:
            checks.append(_when(lambda v: v < low, "minimum", low))
    if "maximum" in schema:
        high = schema["maximum"]
        if exclusive_high is True:
            checks.append(_when(lambda v: v >= high, "exclusiveMaximum", high))
        else:
            checks.append(_when(lambda v: v > high, "maximum", high))
    if _is_number(exclusive_low):
        checks.append(_when(lambda v: v <= exclusive_low, "exclusiveMinimum", exclusive_low))
    if _is_number(exclusive_high):
        checks.append(_when(lambda v: v >= exclusive_high, "exclusiveMaximum", exclusive_high))
    if "multipleOf" in schema:
        step = schema["multipleOf"]

        def not_multiple(value: Any) -> bool:
            if isinstance(value, int) and isinstance(step, int):
                return value % step != 0
            quotient = value / step
            return not (math.isfinite(quotient) and abs(quotient - round(quotient)) < 1e-9)

        checks.append(_when(not_multiple, "multipleOf", step))
    return checks


def _other(
    value: Any, path: Path, out: list[Problem], strings: list[Check], numbers: list[Check], obj: Any, arr: Any
) -> None:
    """Values of subclasses (a Mapping that is not a dict, a str subclass...): the same checks."""
    if isinstance(value, str):
        for string_check in strings:
            string_check(value, path, out)
    elif isinstance(value, Mapping):
        if obj is not None:
            obj(value, path, out)
    elif isinstance(value, list):
        if arr is not None:
            arr(value, path, out)
    elif _is_number(value):
        for number_check in numbers:
            number_check(value, path, out)


def _type_check(wanted: Any) -> Callable[[Any], bool] | None:
    if wanted is None:
        return None
    names = tuple(wanted) if isinstance(wanted, list) else (wanted,)
    if names == ("object",):
        return lambda v: type(v) is dict or isinstance(v, Mapping)
    if names == ("string",):
        return lambda v: isinstance(v, str)
    if names == ("integer",):
        return lambda v: type(v) is int or _type_ok(v, "integer")
    if names == ("array",):
        return lambda v: type(v) is list or isinstance(v, list)
    if names == ("number",):
        return lambda v: type(v) is int or (type(v) is float and math.isfinite(v)) or _type_ok(v, "number")
    if names == ("boolean",):
        return lambda v: v is True or v is False
    if names == ("null",):
        return lambda v: v is None
    return lambda v: any(_type_ok(v, name) for name in names)


# ---------------------------------------------------------------- jsonschema, pydantic


class JsonSchemaValidator(Validator):
    """The ``jsonschema`` package, when it is installed (the ``jsonschema`` extra)."""

    engine = "jsonschema"

    def __init__(self, schema: Mapping[str, Any] | bool) -> None:
        try:
            jsonschema: Any = importlib.import_module("jsonschema")
        except ImportError:
            raise SchemaError("engine 'jsonschema' needs the jsonschema package") from None
        cls = jsonschema.validators.validator_for(schema)
        try:
            cls.check_schema(schema)
        except jsonschema.exceptions.SchemaError as exc:
            raise SchemaError(f"invalid JSON schema: {exc.message}") from None
        self._validator = cls(schema)

    def check(self, instance: Any) -> tuple[Any, list[Problem]]:
        problems: list[Problem] = []
        for error in self._validator.iter_errors(instance):
            keyword = str(error.validator)
            if keyword == "required":
                name = str(error.message).split(" is a required property")[0]
                message = f"missing required property {name}"
            elif keyword == "additionalProperties" and error.validator_value is False:
                message = "properties not allowed"
            else:
                message = describe(keyword, error.validator_value)
            problems.append(
                {"path": format_path(list(error.absolute_path)), "keyword": keyword, "message": message}
            )
            if len(problems) >= MAX_PROBLEMS:
                break
        problems.sort(key=lambda p: p["path"])
        return instance, problems


class PydanticValidator(Validator):
    """A pydantic model class (v2 ``model_validate`` or v1 ``parse_obj``)."""

    engine = "pydantic"

    def __init__(self, model: Any) -> None:
        self.model = model
        self._validate = model.model_validate if hasattr(model, "model_validate") else model.parse_obj

    def check(self, instance: Any) -> tuple[Any, list[Problem]]:
        try:
            return self._validate(instance), []
        except Exception as exc:
            errors = getattr(exc, "errors", None)
            if not callable(errors):
                raise
            try:
                items = errors(include_url=False, include_input=False, include_context=False)
            except TypeError:  # pydantic v1
                items = errors()
            problems = [
                {
                    "path": format_path(list(item.get("loc", ()))),
                    "keyword": str(item.get("type", "invalid")),
                    "message": str(item.get("msg", "invalid")),
                }
                for item in items[:MAX_PROBLEMS]
            ]
            return None, problems
