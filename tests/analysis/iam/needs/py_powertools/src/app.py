import os

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)
from aws_lambda_powertools.utilities.parameters import get_secret
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
persistence = DynamoDBPersistenceLayer(table_name=os.environ["TABLE_NAME"])
config = IdempotencyConfig(event_key_jmespath="body")


@idempotent(persistence_store=persistence, config=config)
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    endpoint = parameters.get_parameter("/payments/endpoint")
    limits = parameters.get_parameters("/payments/limits", decrypt=True)
    key = get_secret(os.environ["SECRET_ID"])
    logger.info("charging", extra={"endpoint": endpoint, "limits": limits})
    return {"statusCode": 200, "body": key[:0]}
