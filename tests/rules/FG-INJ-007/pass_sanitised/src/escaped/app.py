import html


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": f"<p>Hello {html.escape(name)}</p>",
    }
