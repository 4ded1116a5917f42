import json
import os

import boto3

ddb = boto3.client("dynamodb")
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
sqs = boto3.client("sqs")
lam = boto3.client("lambda")


def handler(event, context):
    rows = ddb.execute_statement(Statement="SELECT * FROM ledger WHERE pk = ?", Parameters=[{"S": "a"}])
    ddb.execute_statement(Statement="UPDATE ledger SET n = 1 WHERE pk = 'a'")
    with table.batch_writer() as batch:
        batch.put_item(Item={"pk": "b"})
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": os.environ["TABLE"], "Item": {"pk": {"S": "c"}}}},
            {"ConditionCheck": {"TableName": os.environ["TABLE"], "Key": {"pk": {"S": "a"}}}},
        ]
    )
    sqs.send_message_batch(QueueUrl=os.environ["QUEUE_URL"], Entries=[{"Id": "1", "MessageBody": "x"}])
    lam.invoke(FunctionName=os.environ["WORKER"], Payload=json.dumps(rows["Items"]))
    return boto3.client("sts").get_caller_identity()["Account"]
