locals {
  functions = {
    orders  = "app.handler"
    reports = "app.handler"
  }
}

resource "aws_lambda_function" "fn" {
  for_each      = local.functions
  function_name = each.key
  filename      = "${each.key}.zip"
  handler       = each.value
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/${each.key}"
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.shared.name
  }
}

resource "aws_cloudwatch_log_group" "shared" {
  name              = "/app/functions"
  retention_in_days = 30
}

resource "aws_lambda_function" "single" {
  function_name = "single"
  filename      = "single.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/single"
}

resource "aws_cloudwatch_log_group" "single" {
  name              = "/aws/lambda/single"
  retention_in_days = 14
}
