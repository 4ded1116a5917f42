import subprocess


def consume(batch, context):
    for record in batch["Records"]:
        value = record["body"]
        subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
