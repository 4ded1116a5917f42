from chalice import Chalice

app = Chalice(app_name="todo")


@app.route("/todos", methods=["GET", "POST"])
def todos():
    return []


@app.route("/todos/{todo_id}", methods=["GET", "DELETE"])
def todo(todo_id):
    return {"id": todo_id}
