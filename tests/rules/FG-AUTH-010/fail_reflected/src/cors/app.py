def handler(event, context):
    origin = event["headers"].get("origin", "*")
    response = {"statusCode": 200, "headers": {}, "body": "ok"}
    response["headers"]["Access-Control-Allow-Origin"] = origin
    return response


def preflight(event, context):
    return {
        "statusCode": 204,
        "headers": {"Access-Control-Allow-Origin": event["headers"]["Origin"]},
    }
