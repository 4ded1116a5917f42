import random
import string


def generate_token(length=32):
    return "".join(random.choice(string.ascii_letters) for _ in range(length))


def handler(event, context):
    reset_token = generate_token()
    otp = random.randint(100000, 999999)
    return {"statusCode": 200, "body": f"{reset_token}{otp}"}
