import os

import boto3

rds = boto3.client("rds-data")


def handler(event, context):
    return rds.execute_statement(
        resourceArn=os.environ["CLUSTER_ARN"],
        secretArn=os.environ["SECRET_ARN"],
        database="orders",
        sql="SELECT id FROM orders",
    )["records"]
