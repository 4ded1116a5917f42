import boto3
from boto3.dynamodb.conditions import Attr, Key

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    user = event["queryStringParameters"]["user"]
    table.query(KeyConditionExpression=Key("pk").eq(user))
    table.scan(
        FilterExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": user},
    )
    table.scan(FilterExpression=Attr("owner").eq(user))
    return {"statusCode": 200}
