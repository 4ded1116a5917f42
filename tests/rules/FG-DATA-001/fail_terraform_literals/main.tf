locals {
  stripe_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
}

resource "aws_lambda_function" "billing" {
  function_name = "billing-${var.stage}"
  filename      = "billing.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/billing"

  environment {
    variables = {
      STRIPE_KEY  = local.stripe_key
      DB_PASSWORD = var.db_password
      API_TOKEN   = "Xk29!vQ8zLm#4tRw"
      TABLE_NAME  = "orders"
    }
  }
}

resource "aws_secretsmanager_secret" "db" {
  name = "billing-db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = "hunter2-but-longer-Z9"
}
