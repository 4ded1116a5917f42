import subprocess
from urllib.parse import unquote_plus


def on_upload(e, c):
    value = unquote_plus(e["Records"][0]["s3"]["object"]["key"])
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
