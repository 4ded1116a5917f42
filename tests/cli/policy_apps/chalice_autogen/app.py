import os

import boto3
from chalice import Chalice

app = Chalice(app_name="notes")
notes = boto3.resource("dynamodb").Table(os.environ["NOTES_TABLE"])


@app.route("/notes/{note_id}")
def get_note(note_id):
    return notes.get_item(Key={"id": note_id}).get("Item", {})


@app.route("/notes", methods=["POST"])
def add_note():
    note = app.current_request.json_body
    notes.put_item(Item=note)
    boto3.client("sns").publish(TopicArn="arn:aws:sns:us-east-1:123456789012:notes", Message=note["id"])
    return {"id": note["id"]}
