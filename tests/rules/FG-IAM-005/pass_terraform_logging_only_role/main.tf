resource "aws_iam_role" "shared" {
  name                = "shared"
  assume_role_policy  = data.aws_iam_policy_document.assume.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
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

resource "aws_lambda_function" "api" {
  function_name = "api"
  filename      = "api.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.shared.arn
}

resource "aws_lambda_function" "cleanup" {
  function_name = "cleanup"
  filename      = "cleanup.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.shared.arn
}
