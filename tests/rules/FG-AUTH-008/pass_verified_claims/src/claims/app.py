def handler(event, context):
    claims = event["requestContext"]["authorizer"]["claims"]
    if "admins" in claims.get("cognito:groups", ""):
        return {"statusCode": 200, "body": "all records"}
    if claims["custom:role"] == "admin":
        return {"statusCode": 200, "body": "admin"}
    return {"statusCode": 403}
