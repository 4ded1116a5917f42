ADMINS = ("root", "ops")


def handler(event, context):
    role = event["headers"].get("x-user-role", "guest")
    if role in ADMINS:
        return {"statusCode": 200, "body": "all records"}
    return {"statusCode": 403}
