variable "name" {}
variable "actions" {
  type = list(string)
}

resource "aws_iam_role" "this" {
  name               = var.name
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
    actions   = var.actions
    resources = ["*"]
  }
  statement {
    effect      = "Allow"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_role_policy" "access" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  filename      = "${path.module}/${var.name}.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.this.arn
}
