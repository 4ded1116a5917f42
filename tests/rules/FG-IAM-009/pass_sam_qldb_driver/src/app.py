import json
import os

from pyqldb.driver.qldb_driver import QldbDriver

driver = QldbDriver(ledger_name=os.environ["LEDGER"])


def handler(event, context):
    person = json.loads(event["body"])
    driver.execute_lambda(lambda txn: txn.execute_statement("INSERT INTO People ?", person))
    found = driver.execute_lambda(lambda txn: list(txn.execute_statement("SELECT * FROM People")))
    return {"statusCode": 201, "body": json.dumps(len(found))}
