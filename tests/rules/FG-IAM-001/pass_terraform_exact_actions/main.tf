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

locals {
  tables = {
    orders = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    users  = "arn:aws:dynamodb:us-east-1:123456789012:table/users"
  }
}

data "aws_iam_policy_document" "access" {
  dynamic "statement" {
    for_each = local.tables
    content {
      sid       = "Read${statement.key}"
      actions   = ["dynamodb:GetItem", "dynamodb:Query"]
      resources = [statement.value]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role_policy" "access" {
  role   = aws_iam_role.fn.name
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.fn.arn
}
