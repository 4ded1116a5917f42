import pickle

with open("/var/task/model.pkl", "rb") as fh:
    MODEL = pickle.load(fh)


def handler(event, context):
    with open("/opt/defaults.pkl", "rb") as fh:
        defaults = pickle.loads(fh.read())
    return {"statusCode": 200, "body": str(MODEL.predict(defaults))}
