import json
import logging

logger = logging.getLogger()


def handler(event, context):
    try:
        order = json.loads(event["body"])
    except ValueError as err:
        return {"statusCode": 400, "body": json.dumps({"error": str(err)})}
    except Exception:
        logger.exception("order failed")
        return {"statusCode": 500, "body": json.dumps({"error": "internal error"})}
    return {"statusCode": 200, "body": json.dumps(order)}
