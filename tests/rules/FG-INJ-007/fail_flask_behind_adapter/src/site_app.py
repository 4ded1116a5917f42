from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/greet/<name>")
def greet(name):
    return f"<h1>Hello {name}</h1>"


@app.route("/search")
def search():
    term = request.args.get("q", "")
    return "<p>No results for " + term + "</p>", 404


@app.route("/api/search")
def api_search():
    return jsonify(query=request.args.get("q", ""))


@app.route("/item/<int:item_id>")
def item(item_id):
    return f"<p>Item {item_id}</p>"
