from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    flags = parameters.get_app_config(name="flags", environment="prod", application="shop")
    return {"statusCode": 200, "body": flags}
