"""Admin handler (deliberately vulnerable demo code: do not deploy)."""

import pickle
import base64


def handler(event, context):
    # Unsafe deserialisation of caller data.
    job = pickle.loads(base64.b64decode(event["job"]))
    return {"statusCode": 200, "body": str(job)}
