GITHUB_TOKEN = "ghp_Zx8Kq2LmN4pR7tV9wY3bC6dF1gH5jK0sA2eU"


def handler(event, context):
    name = event["queryStringParameters"]["report"]
    with open("/var/reports/" + name) as fh:
        return {"statusCode": 200, "body": fh.read()}
