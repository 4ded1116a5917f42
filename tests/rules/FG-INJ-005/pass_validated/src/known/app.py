REPORTS = {"daily": "/opt/reports/daily.csv", "weekly": "/opt/reports/weekly.csv"}
ALLOWED = ("daily.csv", "weekly.csv")


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    if name not in ALLOWED:
        return {"statusCode": 404}
    with open("/opt/reports/" + name) as fh:
        return {"statusCode": 200, "body": fh.read()}
