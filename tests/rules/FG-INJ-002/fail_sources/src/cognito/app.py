def pre_sign_up(event, context):
    value = event["request"]["userAttributes"]["custom:q"]
    eval(value)
    return {"statusCode": 200}
