import os
import subprocess


def handler(event, context):
    subprocess.run("ls -l /tmp", shell=True, check=True)
    os.system("echo " + os.environ.get("STAGE", "dev"))
    return {"statusCode": 200}
