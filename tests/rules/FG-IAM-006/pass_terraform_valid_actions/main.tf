variable "extra_action" {}

resource "aws_iam_role" "fn" {
  name               = "fn"
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

data "aws_iam_policy_document" "access" {
  statement {
    actions   = ["s3:GetObject", "dynamodb:PutItem", var.extra_action]
    resources = ["arn:aws:s3:::example/*"]
  }
}

resource "aws_iam_role_policy" "access" {
  role   = aws_iam_role.fn.id
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.fn.arn
}
