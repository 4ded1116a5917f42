import os

import boto3

_dynamodb = boto3.resource("dynamodb")


def orders_table():
    return _dynamodb.Table(os.environ.get("TABLE_NAME"))
