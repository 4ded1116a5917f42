import subprocess


def pre_sign_up(event, context):
    value = event["request"]["userAttributes"]["custom:q"]
    subprocess.run(f"convert {value} out.png", shell=True)
    return {"statusCode": 200}
