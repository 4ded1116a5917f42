import subprocess


def on_change(event, context):
    value = event["Records"][0]["dynamodb"]["NewImage"]["q"]["S"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
