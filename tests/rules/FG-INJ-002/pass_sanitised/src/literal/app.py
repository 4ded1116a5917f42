import ast
import json


def handler(event, context):
    expr = event["queryStringParameters"]["expr"]
    values = ast.literal_eval(expr)
    data = json.loads(event["body"])
    return {"statusCode": 200, "body": json.dumps({"values": values, "data": data})}
