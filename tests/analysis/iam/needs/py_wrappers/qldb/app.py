import json
import os

from aws_lambda_powertools import Logger
from pyqldb.driver.qldb_driver import QldbDriver

logger = Logger()
driver = QldbDriver(ledger_name=os.environ["LEDGER"])


def insert(txn, person):
    return txn.execute_statement("INSERT INTO People ?", person)


def handler(event, context):
    person = json.loads(event["body"])
    driver.execute_lambda(lambda txn: insert(txn, person))
    logger.info("inserted")
    return {"statusCode": 201}
