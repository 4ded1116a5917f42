import boto3

athena = boto3.client("athena")


def handler(event, context):
    started = athena.start_query_execution(
        QueryString="SELECT * FROM sales LIMIT 10",
        ResultConfiguration={"OutputLocation": "s3://reports-results/"},
    )
    return started["QueryExecutionId"]
