import json

from users import delete_user, is_admin


def handler(event, context):
    body = json.loads(event["body"])
    if body["authLevel"] == "admin":
        delete_user(body["user"])
    if is_admin(body):
        delete_user(body["other"])
    if body.get("isAdmin"):
        delete_user(body["third"])
    return {"statusCode": 204}
