def handler(event, context):
    for record in event["Records"]:
        page = {"headers": {"Content-Type": "text/html"}, "body": "<p>" + record["body"] + "</p>"}
        print(len(page))
