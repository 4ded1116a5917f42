"""Layers an application defines itself, and the functions' references to them.

Every loader records its layer resources as `LayerVersion`s (with the local folder the layer is
built from, when there is one) and calls `link_layers` on the finished application: each
function's `Layer` that references one of them (`!Ref MyLayer`, `{Ref: NameLambdaLayer}`,
`aws_lambda_layer_version.x.arn`) gets its `layer_id` and `content_dir`, so the dependency
inventory can read what the layer ships once and attribute it to every function attaching it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import replace

from faasguard.loaders.build import Builder
from faasguard.loaders.cfn_resources import code_dir, d
from faasguard.loaders.nodes import LMap
from faasguard.model import Application, Layer, LayerVersion, SourceRef, Unknown

CFN_LAYER_TYPES = ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion")
# A reference rendered as text: ${Id}, ${Id.Arn}, ${aws_lambda_layer_version.x.arn}
_PLACEHOLDER = re.compile(r"^\$\{([^${}]+)\}$")


def _referenced(layer: Layer, ids: dict[str, LayerVersion]) -> LayerVersion | None:
    if layer.layer_id is not None:
        return ids.get(layer.layer_id)
    if not isinstance(layer.arn, str):  # Unknown: resolved only at deploy time
        return None
    m = _PLACEHOLDER.match(layer.arn)
    if m is None:
        return None
    inner = m.group(1)
    return ids.get(inner) or ids.get(inner.rpartition(".")[0])


def link_layers(app: Application, defined: list[LayerVersion]) -> Application:
    """The application with its own layers recorded and the functions' references resolved."""
    if not defined:
        return app
    ids = {lv.id: lv for lv in defined}
    functions = []
    for fn in app.functions:
        linked = []
        for layer in fn.layers:
            target = _referenced(layer, ids)
            if target is not None:
                layer = replace(layer, layer_id=target.id, content_dir=target.content_dir)
            linked.append(layer)
        functions.append(replace(fn, layers=tuple(linked)) if fn.layers else fn)
    return replace(app, functions=tuple(functions), layers=tuple(defined))


def _runtimes(b: Builder, value: object) -> tuple[str | Unknown, ...]:
    return tuple(b.text(x) for x in value) if isinstance(value, list) else ()


def cfn_layer(b: Builder, rid: str, rtype: str, props: LMap, res: LMap) -> LayerVersion:
    """A SAM / CloudFormation layer resource (CDK output: its asset folder from Metadata)."""
    meta = d(res.get("Metadata"))
    content: str | None = None
    if rtype == "AWS::Serverless::LayerVersion":
        uri = props.get("ContentUri")
        content = code_dir(b, uri) if isinstance(uri, str) else None  # a {Bucket, Key} map: S3
    asset = meta.get("aws:asset:path")
    if content is None and isinstance(asset, str) and meta.get("aws:asset:property") in (None, "Content"):
        content = code_dir(b, asset)
    method = meta.get("BuildMethod")
    name = props.get("LayerName")
    own = b.src(res)
    return LayerVersion(
        id=rid,
        source=own,
        name=b.text(name) if name is not None else None,
        content_dir=content,
        build_method=method if isinstance(method, str) else None,
        runtimes=_runtimes(b, props.get("CompatibleRuntimes")),
        props=b.props_map(props, own),
    )


def sls_layers(
    b: Builder, service_dir: str, layers: object, key_ref: Callable[[object, str], SourceRef]
) -> list[LayerVersion]:
    """The `layers:` of a Serverless Framework service: `path` is the folder the Framework zips
    (relative to the service), unless `package.artifact` names a prebuilt zip."""
    from faasguard.loaders.serverless import normalize

    out: list[LayerVersion] = []
    for name, spec in layers.items() if isinstance(layers, LMap) else ():
        if not isinstance(spec, LMap):
            continue
        own = key_ref(layers, str(name))
        path = spec.get("path")
        package = spec.get("package")
        prebuilt = isinstance(package, LMap) and package.get("artifact") is not None
        content: str | None = None
        if isinstance(path, str) and not prebuilt and "${" not in path:
            rel = posixpath.normpath(posixpath.join(service_dir, path))
            if rel == ".." or rel.startswith("../"):
                b.errors.append(
                    (own.path, own.line, f"layer path {path} leaves the scanned folder: not read")
                )
            else:
                content = rel
        runtimes = spec.get("compatibleRuntimes")
        label = spec.get("name")
        out.append(
            LayerVersion(
                id=normalize(str(name)) + "LambdaLayer",
                source=own,
                name=b.text(label) if label is not None else str(name),
                content_dir=content,
                runtimes=_runtimes(b, runtimes),
                props={"Content": key_ref(spec, "path")} if "path" in spec else {},
            )
        )
    return out


__all__ = ["CFN_LAYER_TYPES", "cfn_layer", "link_layers", "sls_layers"]
