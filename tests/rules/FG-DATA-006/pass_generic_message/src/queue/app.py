def handler(event, context):
    try:
        return {"processed": len(event["Records"])}
    except Exception as exc:
        return {"error": str(exc)}
