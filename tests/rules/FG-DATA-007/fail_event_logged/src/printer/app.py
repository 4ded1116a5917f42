import json
import logging

logger = logging.getLogger()


def handler(event, context):
    print(event)
    logger.info("received %s", json.dumps(event))
    return {"statusCode": 200}
