import random
import secrets


def handler(event, context):
    reset_token = secrets.token_urlsafe(32)
    jitter = random.uniform(0, 1)
    sample = random.choice(["a", "b"])
    return {"statusCode": 200, "body": f"{reset_token}{jitter}{sample}"}
