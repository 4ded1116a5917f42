OPERATORS = ("+", "-", "*")


def handler(event, context):
    params = event["queryStringParameters"]
    op = params["op"]
    if op not in OPERATORS:
        return {"statusCode": 400}
    left = float(params["left"])
    right = float(params["right"])
    return {"statusCode": 200, "body": str(eval(f"{left} {op} {right}"))}
