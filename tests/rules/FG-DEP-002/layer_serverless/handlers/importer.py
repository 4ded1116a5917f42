import yaml


def handle(event, context):
    record = event["Records"][0]["s3"]["object"]["key"]
    return yaml.safe_dump({"imported": record})
