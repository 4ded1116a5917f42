import json


def handler(event, context):
    body = json.loads(event["body"])
    result = eval(body["expression"])
    return {"statusCode": 200, "body": json.dumps({"result": result})}
