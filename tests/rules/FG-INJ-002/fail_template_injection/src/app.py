import awsgi
from flask import Flask, render_template_string, request

app = Flask(__name__)


def handler(event, context):
    return awsgi.response(app, event, context)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.route("/calc")
def calc():
    expression = request.json["expression"]
    return {"result": eval(expression)}
