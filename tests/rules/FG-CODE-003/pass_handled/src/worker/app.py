import json
import logging

logger = logging.getLogger()


def handler(event, context):
    try:
        records = [json.loads(r["body"]) for r in event["Records"]]
    except ValueError:
        return {"batchItemFailures": []}
    except Exception:
        logger.exception("batch failed")
        raise
    for record in records:
        try:
            record["total"] = float(record["total"])
        except Exception:
            record["total"] = 0.0
    return {"statusCode": 500 if not records else 200}


def helper():
    try:
        return 1
    except Exception:
        pass
