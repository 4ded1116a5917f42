def handler(event, context):
    for change in event["events"]:
        print(change["event"]["operationType"])
