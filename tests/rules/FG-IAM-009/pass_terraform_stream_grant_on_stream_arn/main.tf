resource "aws_dynamodb_table" "requests" {
  name             = "requests"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
}

data "archive_file" "handler" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/handler.zip"
}

resource "aws_lambda_function" "handler" {
  function_name = "stream-handler"
  filename      = data.archive_file.handler.output_path
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  role          = aws_iam_role.handler.arn
}

resource "aws_lambda_event_source_mapping" "handler" {
  function_name     = aws_lambda_function.handler.arn
  event_source_arn  = aws_dynamodb_table.requests.stream_arn
  starting_position = "LATEST"
}

resource "aws_iam_role" "handler" {
  name               = "stream-handler"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "handler" {
  statement {
    actions   = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]
    resources = ["${aws_dynamodb_table.requests.arn}/stream/*"]
  }
  statement {
    actions   = ["dynamodb:ListStreams"]
    resources = ["*"]
  }
  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "handler" {
  role   = aws_iam_role.handler.id
  policy = data.aws_iam_policy_document.handler.json
}
