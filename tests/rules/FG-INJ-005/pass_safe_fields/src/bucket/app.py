def handler(event, context):
    bucket = event["Records"][0]["s3"]["bucket"]["name"]
    with open(f"/tmp/{bucket}.log", "a") as fh:
        fh.write("seen\n")
