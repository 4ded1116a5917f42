import boto3
from chalice import Chalice

app = Chalice(app_name="uploads")
s3 = boto3.client("s3")


@app.on_s3_event(bucket="uploads", events=["s3:ObjectCreated:*"])
def on_upload(event):
    s3.download_file(event.bucket, event.key, "/tmp/" + event.key)
