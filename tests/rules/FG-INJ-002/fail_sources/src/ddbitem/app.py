import boto3

TABLE = boto3.resource("dynamodb").Table("jobs")


def handler(event, context):
    value = TABLE.get_item(Key={"id": "job"})["Item"]["q"]
    eval(value)
    return {"statusCode": 200}
