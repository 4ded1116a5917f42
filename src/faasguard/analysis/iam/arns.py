"""ARNs of the model's stores: one table of their shapes, for the policies faasguard writes
(analysis/iam/needs.py) and for the grants it compares them with (analysis/iam/audit.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from faasguard.model import StoreKind

# The service prefix in a store's ARN and the resource part before its name.
ARN_SHAPE: Mapping[StoreKind, tuple[str, str]] = {
    StoreKind.DYNAMODB: ("dynamodb", "table/"),
    StoreKind.S3: ("s3", ""),
    StoreKind.SQS: ("sqs", ""),
    StoreKind.SNS: ("sns", ""),
    StoreKind.SECRET: ("secretsmanager", "secret:"),
    StoreKind.KINESIS: ("kinesis", "stream/"),
    StoreKind.SSM_PARAMETER: ("ssm", "parameter/"),
    StoreKind.RDS: ("rds", "cluster:"),
    StoreKind.OPENSEARCH: ("es", "domain/"),
    StoreKind.EFS: ("elasticfilesystem", "file-system/"),
}


@dataclass(frozen=True, slots=True)
class Arn:
    """The parts of an ARN that matter for matching (partition, region, account left out)."""

    service: str
    resource: str

    def text(self) -> str:
        region = "" if self.service in ("s3", "iam") else "*"
        account = "" if self.service == "s3" else "*"
        return f"arn:aws:{self.service}:{region}:{account}:{self.resource}"


def shaped_arn(kind: StoreKind, name: str, suffix: str = "", secret_suffix: str = "-??????") -> Arn | None:
    """The ARN of a store of this kind and name (None for a kind whose ARN is not known here).
    Secrets Manager appends six random characters to a secret's name: `secret_suffix` stands for
    them ("-??????" to match exactly, "-*" as policies usually write it)."""
    shape = ARN_SHAPE.get(kind)
    if shape is None:
        return None
    service, prefix = shape
    if kind is StoreKind.SSM_PARAMETER:
        name = name.lstrip("/")
    elif kind is StoreKind.SECRET:
        name += secret_suffix
    return Arn(service, prefix + name + suffix)


__all__ = ["ARN_SHAPE", "Arn", "shaped_arn"]
