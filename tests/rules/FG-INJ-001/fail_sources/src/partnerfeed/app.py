import subprocess

import requests


def handler(event, context):
    value = requests.get("https://partner.example.com/feed", timeout=5).json()["q"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
