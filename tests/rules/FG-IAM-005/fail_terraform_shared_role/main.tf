resource "aws_iam_role" "shared" {
  name               = "shared"
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

resource "aws_iam_role_policy" "shared" {
  role = aws_iam_role.shared.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:DeleteItem", Resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders" }]
  })
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
