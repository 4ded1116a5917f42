from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model


class Note(Model):
    class Meta:
        table_name = "notes"

    id = UnicodeAttribute(hash_key=True)
    text = UnicodeAttribute()


def handler(event, context):
    Note(id=event["id"], text=event["text"]).save()
    return {"statusCode": 201}
