import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    status = event["queryStringParameters"]["status"]
    table.scan(FilterExpression=f"order_status = {status}")
    return {"statusCode": 200}
