resource "aws_sqs_queue" "failed" {
  name = "failed"
}

resource "aws_lambda_function" "thumbs" {
  function_name = "thumbs"
  filename      = "thumbs.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/thumbs"
  dead_letter_config {
    target_arn = aws_sqs_queue.failed.arn
  }
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sns_topic_subscription" "thumbs" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.thumbs.arn
}

resource "aws_lambda_function" "nightly" {
  function_name = "nightly"
  filename      = "nightly.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = "arn:aws:iam::123456789012:role/nightly"
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.nightly.arn
}

resource "aws_lambda_function_event_invoke_config" "nightly" {
  function_name = aws_lambda_function.nightly.function_name
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
  }
}
