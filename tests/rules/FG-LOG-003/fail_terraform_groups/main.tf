resource "aws_lambda_function" "orders" {
  function_name = "orders"
  filename      = "orders.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/orders"
}

resource "aws_cloudwatch_log_group" "orders" {
  name = "/aws/lambda/${aws_lambda_function.orders.function_name}"
}

resource "aws_lambda_function" "reports" {
  function_name = "reports"
  filename      = "reports.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/reports"
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.reports.name
  }
}

resource "aws_cloudwatch_log_group" "reports" {
  name              = "/app/reports"
  retention_in_days = 0
}

resource "aws_lambda_function" "cleanup" {
  function_name = "cleanup"
  filename      = "cleanup.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/cleanup"
}
