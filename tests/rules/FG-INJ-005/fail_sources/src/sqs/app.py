import os


def consume(batch, context):
    for record in batch["Records"]:
        value = record["body"]
        with open(os.path.join("/tmp/files", value)) as fh:
            fh.read()
    return {"statusCode": 200}
