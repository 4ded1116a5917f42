resource "aws_secretsmanager_secret" "db" {
  name = "billing-db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = var.db_password
}

resource "aws_iam_access_key" "ci" {
  user = "ci"
}

resource "aws_lambda_function" "billing" {
  function_name = "billing"
  filename      = "billing.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/billing"

  environment {
    variables = {
      DB_SECRET_ARN = aws_secretsmanager_secret.db.arn
      DB_PASSWORD   = var.db_password
      API_TOKEN     = "changeme"
      ACCESS_KEY_ID = aws_iam_access_key.ci.id
    }
  }
}
