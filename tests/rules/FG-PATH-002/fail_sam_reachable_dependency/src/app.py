import yaml


def handler(event, context):
    settings = yaml.safe_load(event["body"])
    return {"statusCode": 200, "body": str(len(settings))}
