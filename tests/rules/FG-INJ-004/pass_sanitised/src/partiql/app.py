import boto3

ddb = boto3.client("dynamodb")


def handler(event, context):
    user = event["queryStringParameters"]["user"]
    ddb.execute_statement(Statement="SELECT * FROM orders WHERE pk = ?", Parameters=[{"S": user}])
    return {"statusCode": 200}
