import os

import boto3

from store import orders_table

s3 = boto3.client("s3")
BUCKET = os.environ["BUCKET"]


def save(table, order):
    table.put_item(Item=order)


def handler(event, context):
    order = {"id": event["id"]}
    save(orders_table(), order)
    s3.put_object(Bucket=BUCKET, Key="orders/" + order["id"], Body=b"x")
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="orders/")
    for page in pages:
        print(page)
    return orders_table().get_item(Key={"id": order["id"]})
