from chalice import Chalice

app = Chalice(app_name="shop")


@app.on_s3_event(bucket="photos", events=["s3:ObjectCreated:*"])
def thumbnail(event):
    print(event.key)
