"""JavaScript / TypeScript handlers: every way a module exports the function the template names."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_js_support import flows, sam

SINK = 'require("child_process").execSync("echo " + event.queryStringParameters.q);'
ESM_SINK = 'execSync("echo " + event.queryStringParameters.q);'

CJS_FORMS = {
    "exports_arrow": f"exports.handler = async (event) => {{\n  {SINK}\n}};\n",
    "module_exports_member": (
        f"module.exports.handler = async function (event, context) {{\n  {SINK}\n}};\n"
    ),
    "module_exports_object": (
        f"async function handler(event) {{\n  {SINK}\n}}\nmodule.exports = {{ handler }};\n"
    ),
    "module_exports_pair": f"module.exports = {{\n  handler: async (event) => {{\n    {SINK}\n  }},\n}};\n",
    "module_exports_method": f"module.exports = {{\n  async handler(event) {{\n    {SINK}\n  }},\n}};\n",
    "assigned_later": f"const run = async (event) => {{\n  {SINK}\n}};\nexports.handler = run;\n",
    "hoisted": f"exports.handler = main;\n\nfunction main(event, context, callback) {{\n  {SINK}\n}}\n",
    "chained": f"module.exports = exports = {{ handler: (event) => {{\n  {SINK}\n}} }};\n",
    "tsc_output": (
        '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n'
        "exports.handler = void 0;\nconst handler = async (event) => {\n  "
        + SINK
        + "\n};\nexports.handler = handler;\n"
    ),
}

ESM_FORMS = {
    "export_const": f"export const handler = async (event) => {{\n  {ESM_SINK}\n}};\n",
    "export_function": f"export async function handler(event) {{\n  {ESM_SINK}\n}}\n",
    "export_list_alias": (
        f"const main = async (event) => {{\n  {ESM_SINK}\n}};\nexport {{ main as handler }};\n"
    ),
    "export_later": (
        f"let handler;\nhandler = async (event) => {{\n  {ESM_SINK}\n}};\nexport {{ handler }};\n"
    ),
}


@pytest.mark.parametrize("form", sorted(CJS_FORMS))
def test_commonjs_export_forms(tmp_path: Path, form: str) -> None:
    got = flows(tmp_path, {"template.yaml": sam("index.handler"), "src/index.js": CJS_FORMS[form]})
    assert {(fam, field) for fam, field, _ in got} == {("command", "queryStringParameters.q")}


@pytest.mark.parametrize("form", sorted(ESM_FORMS))
@pytest.mark.parametrize("ext", [".mjs", ".ts"])
def test_esm_export_forms(tmp_path: Path, form: str, ext: str) -> None:
    source = 'import { execSync } from "node:child_process";\n' + ESM_FORMS[form]
    got = flows(tmp_path, {"template.yaml": sam("index.handler"), f"src/index{ext}": source})
    assert {(fam, field) for fam, field, _ in got} == {("command", "queryStringParameters.q")}


def test_export_default_and_named_default(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.default"),
            "src/index.mjs": 'import { execSync } from "child_process";\n'
            f"export default async function (event) {{\n  {ESM_SINK}\n}}\n",
        },
    )
    assert got == {("command", "queryStringParameters.q", "src/index.mjs:3")}


def test_reexports_through_barrels_and_renames(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.ts": 'export { run as handler } from "./handlers";\n',
            "src/handlers/index.ts": 'export * from "./run";\n',
            "src/handlers/run.ts": (
                'import type { APIGatewayProxyEvent } from "aws-lambda";\n'
                'import { execSync } from "child_process";\n\n'
                "export const run = async (event: APIGatewayProxyEvent) => {\n"
                "  execSync(`echo ${event.queryStringParameters?.q}`);\n};\n"
            ),
        },
    )
    assert got == {("command", "queryStringParameters.q", "src/handlers/run.ts:5")}


def test_typescript_export_equals_and_import_require(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.ts": 'import impl = require("./impl");\nexport = { handler: impl.go };\n',
            "src/impl.ts": 'import * as cp from "child_process";\n'
            "export function go(event: any) {\n  cp.exec(event.body);\n}\n",
        },
    )
    assert got == {("command", "body", "src/impl.ts:3")}


def test_tsc_reexports_with_define_property_and_export_star(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.js": (
                '"use strict";\n'
                "var __exportStar = (this && this.__exportStar) || function () {};\n"
                'Object.defineProperty(exports, "__esModule", { value: true });\n'
                'const impl_1 = require("./impl");\n'
                'Object.defineProperty(exports, "handler", {\n'
                "  enumerable: true, get: function () { return impl_1.main; } });\n"
                '__exportStar(require("./more"), exports);\n'
            ),
            "src/impl.js": f"exports.main = async (event) => {{\n  {SINK}\n}};\n",
            "src/more.js": "exports.other = 1;\n",
        },
    )
    assert got == {("command", "queryStringParameters.q", "src/impl.js:2")}


def test_a_method_bound_as_handler(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.js": (
                'const { execSync } = require("child_process");\n'
                "class Controller {\n  handle(event) {\n    execSync(event.body);\n  }\n}\n"
                "const controller = new Controller();\n"
                "exports.handler = controller.handle.bind(controller);\n"
            ),
        },
    )
    assert got == {("command", "body", "src/index.js:4")}


def test_only_the_named_export_is_an_entry(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.process"),
            "src/index.js": (
                'const cp = require("child_process");\n'
                "exports.handler = async (event) => cp.exec(event.body);\n"
                "exports.process = async (event) => cp.exec(event.queryStringParameters.q);\n"
            ),
        },
    )
    assert got == {("command", "queryStringParameters.q", "src/index.js:3")}


def test_callback_style_responses_are_returned(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("index.handler"),
            "src/index.js": (
                "exports.handler = function (event, context, callback) {\n"
                "  try {\n    work();\n  } catch (err) {\n"
                "    callback(null, { statusCode: 500, body: err.message });\n    return;\n  }\n"
                "  context.succeed({ statusCode: 200, headers: { 'Content-Type': 'text/html' },"
                " body: '<p>' + event.queryStringParameters.q + '</p>' });\n"
                "};\n"
            ),
        },
    )
    assert got == {
        ("leak", "exception text", "src/index.js:5"),
        ("xss", "queryStringParameters.q", "src/index.js:8"),
    }


def test_handler_path_with_folders_and_extensions(tmp_path: Path) -> None:
    got = flows(
        tmp_path,
        {
            "template.yaml": sam("handlers/create.main", code_uri="app/"),
            "app/handlers/create.cjs": f"module.exports.main = async (event) => {{\n  {SINK}\n}};\n",
        },
    )
    assert got == {("command", "queryStringParameters.q", "app/handlers/create.cjs:2")}
