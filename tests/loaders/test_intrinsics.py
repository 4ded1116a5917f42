from __future__ import annotations

from typing import Any

from faasguard.loaders.intrinsics import RefTo, Resolver
from faasguard.loaders.reader import parse_yaml
from faasguard.model import Unknown


def _resolve(yaml_text: str, params: dict[str, object] | None = None) -> Any:
    doc = parse_yaml(yaml_text)[0]
    resolver = Resolver(
        "t.yaml",
        params or {"Stage": "prod", "Names": ["a", "b"]},
        {"Table": {}, "Fn": {}},
        doc.get("Conditions", {}),
        doc.get("Mappings", {}),
    )
    return resolver.resolve(doc["Value"])


def test_ref_parameter_resource_and_pseudo() -> None:
    assert _resolve("Value: !Ref Stage") == "prod"
    assert _resolve("Value: !Ref Table") == RefTo("Table")
    assert _resolve("Value: !Ref AWS::Partition") == "aws"
    assert _resolve("Value: !Ref AWS::Region") == "${AWS::Region}"
    assert isinstance(_resolve("Value: !Ref Missing"), Unknown)


def test_getatt_both_forms() -> None:
    assert _resolve("Value: !GetAtt Fn.Arn") == RefTo("Fn", "Arn")
    assert _resolve("Value: {'Fn::GetAtt': [Table, StreamArn]}") == RefTo("Table", "StreamArn")


def test_sub_with_parameters_resources_and_variables() -> None:
    assert _resolve("Value: !Sub 'arn:${AWS::Partition}:s3:::${Stage}-${Table}/*'") == (
        "arn:aws:s3:::prod-${Table}/*"
    )
    assert _resolve("Value: !Sub ['${x}-${Stage}', {x: !GetAtt Fn.Arn}]") == "${Fn.Arn}-prod"
    assert _resolve("Value: !Sub 'literal ${!NotAVar}'") == "literal ${NotAVar}"


def test_join_select_split() -> None:
    assert _resolve("Value: !Join ['-', [a, !Ref Stage, !Ref Table]]") == "a-prod-${Table}"
    assert _resolve("Value: !Select [1, !Ref Names]") == "b"
    assert _resolve("Value: !Select [0, !Split [',', 'x,y']]") == "x"


def test_conditions_and_if() -> None:
    text = """
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
Value:
  A: !If [IsProd, 1, 2]
  B: !If [NotProd, 1, !Ref AWS::NoValue]
"""
    assert _resolve(text) == {"A": 1}


def test_find_in_map_with_default() -> None:
    text = """
Mappings:
  Sizes: {prod: {mem: 1024}}
Value:
  - !FindInMap [Sizes, !Ref Stage, mem]
  - !FindInMap [Sizes, dev, mem, {DefaultValue: 128}]
"""
    assert _resolve(text) == [1024, 128]


def test_import_value_and_unknown_parameter_stay_unknown() -> None:
    assert isinstance(_resolve("Value: !ImportValue shared-vpc"), Unknown)
    assert isinstance(_resolve("Value: !Ref P", {"P": Unknown("no default")}), Unknown)


def test_lines_survive_resolution() -> None:
    doc = parse_yaml("Value:\n  A: !Sub 'x-${Stage}'\n  B:\n    - 1\n")[0]
    out = Resolver("t.yaml", {"Stage": "p"}, {}, {}, {}).resolve(doc["Value"])
    assert out.key_lines == {"A": 2, "B": 3}
    assert out["A"].line == 2
