from xml.dom import pulldom
from xml.sax import make_parser
from xml.sax.handler import feature_external_ges

parser = make_parser()
parser.setFeature(feature_external_ges, True)


def handler(event, context):
    titles = []
    for kind, node in pulldom.parseString(event["body"], parser=parser):
        if kind == pulldom.START_ELEMENT and node.tagName == "title":
            titles.append(node.tagName)
    return {"statusCode": 200, "body": ",".join(titles)}
