from chalice import Chalice, CognitoUserPoolAuthorizer
from chalicelib.auth import iam

app = Chalice(app_name="shop")
pool = CognitoUserPoolAuthorizer("users", provider_arns=["arn:aws:cognito-idp:us-east-1:123456789012:userpool/x"])


@app.authorizer()
def token(auth_request):
    return None


@app.route("/orders", authorizer=pool)
def orders():
    return []


@app.route("/admin", authorizer=iam)
def admin():
    return {}


@app.route("/me", authorizer=token)
def me():
    return {}
