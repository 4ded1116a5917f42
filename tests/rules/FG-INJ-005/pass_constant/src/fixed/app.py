import uuid


def handler(event, context):
    with open("/tmp/out.txt", "w") as fh:
        fh.write(event["body"] or "")
    with open(f"/tmp/{uuid.uuid4()}.png", "wb") as fh:
        fh.write(b"")
    return {"statusCode": 200}
