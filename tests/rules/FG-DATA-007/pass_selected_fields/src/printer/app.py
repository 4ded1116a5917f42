import logging

logger = logging.getLogger()


def handler(event, context):
    logger.info("request %s %s", event["httpMethod"], event["path"])
    print("records:", len(event.get("Records", [])))
    return {"statusCode": 200}
