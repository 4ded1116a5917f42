resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

data "archive_file" "report" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/report.zip"
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  filename      = data.archive_file.report.output_path
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  role          = aws_iam_role.report.arn
  environment {
    variables = {
      BUCKET = aws_s3_bucket.reports.bucket
    }
  }
}

resource "aws_iam_role" "report" {
  name               = "report"
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

data "aws_iam_policy_document" "report" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
  }
  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "report" {
  role   = aws_iam_role.report.id
  policy = data.aws_iam_policy_document.report.json
}
