import json

from pymongo import MongoClient

client = MongoClient("mongodb://db:27017")
users = client["shop"]["users"]


def handler(event, context):
    body = json.loads(event["body"])
    user = users.find_one({"name": body["name"], "password": body["password"]})
    users.find({"$where": "this.city == '" + body["city"] + "'"})
    users.find_one({"name": str(body["name"])})
    users.find_one({"id": event["queryStringParameters"]["id"]})
    return {"statusCode": 200 if user else 403}
