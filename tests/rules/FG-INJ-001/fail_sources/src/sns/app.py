import subprocess


def notify(event, context):
    value = event["Records"][0]["Sns"]["Message"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
