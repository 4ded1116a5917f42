from chalice import Chalice

app = Chalice(app_name="shop")


@app.on_sqs_message(queue="jobs")
def on_job(event):
    for record in event:
        print(record.body)
