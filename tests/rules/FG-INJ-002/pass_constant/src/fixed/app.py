def handler(event, context):
    total = eval("1 + 2")
    exec(compile("x = 1", "<fixed>", "exec"))
    return {"statusCode": 200, "body": str(total)}
