def handler(event, context):
    try:  # noqa: SIM105
        process(event["Records"])
    except Exception:
        pass


def process(records):
    for record in records:
        print(len(record["body"]))
